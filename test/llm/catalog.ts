/** Provider views and catalogs for the routing tests, stating only what each test needs. */
import type { Group } from "../../src/llm/groups";
import type { Catalog } from "../../src/llm/pool";
import type { ModelInfo, ProviderType } from "../../src/llm/provider";
import type { ProviderView } from "../../src/llm/provider-registry";

export function providerView(name: string, options: { type?: ProviderType; models?: Array<string | ModelInfo>; default_model?: string; allowed_fails?: number; cooldown_s?: number } = {}): ProviderView {
  return {
    name,
    base_url: `http://${name}.test/v1`,
    type: options.type ?? "openai-compatible",
    allowed_fails: options.allowed_fails ?? null,
    cooldown_s: options.cooldown_s ?? null,
    models: (options.models ?? []).map((m) => (typeof m === "string" ? { id: m, capabilities: ["chat", "tools", "streaming"] } : m)),
    default_model: options.default_model ?? null,
    has_api_key: false,
    source: "api",
    created_at: 1,
    updated_at: 1,
  };
}

export function catalogOf(providers: ProviderView[], options: { groups?: Group[]; defaultName?: string } = {}): Catalog {
  return { providers, groups: options.groups ?? [], defaultName: options.defaultName };
}
