/**
 * `POST /providers/:name/sync`: model discovery — asks the backend which models it serves
 * (Ollama's tag list for an `ollama` provider, `/models` for the rest) and stores them, with
 * their context length where the backend reports it. Only registered providers are stored here;
 * configured ones declare their models in configuration.
 */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { findProvider, saveProvider } from "../../db/providers";
import { EngineError } from "../../engine/errors";
import { discoverModels } from "../../llm/discovery";
import type { ModelInfo, Provider } from "../../llm/provider";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { providerViewSchema, registryOf, requireApiOwned } from "./document";

export type SyncReport = { ok: true; models: ModelInfo[] } | { ok: false; error: string };

/** How a registration's model discovery went, as `POST /providers` answers it (the models are the provider's). */
export const syncOutcomeSchema = z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: z.string() })]);

export const syncProviderDoc = describeRoute({
  summary: "Ask a registered provider for its models and store them",
  responses: { 200: { description: "The provider with the models it serves", schema: providerViewSchema } },
  errors: [409, 502],
});

export async function discover(c: Context<AppEnv>, provider: Provider): Promise<SyncReport> {
  try {
    return { ok: true, models: await discoverModels({ ...provider, ai: c.env.AI }) };
  } catch (err) {
    if (err instanceof EngineError) return { ok: false, error: err.message };
    throw err;
  }
}

export async function syncProviderRoute(c: Context<AppEnv>): Promise<Response> {
  const name = c.req.param("name")!;
  const registry = registryOf(c);
  requireApiOwned(registry, name);
  const d = db(c.env.DB);
  const stored = await findProvider(d, name);
  const provider = stored && (await registry.lookup(name));
  if (!stored || !provider) throw new ApiError(404, "not_found", `No provider named "${name}" is registered.`);
  const sync = await discover(c, provider);
  if (!sync.ok) throw new ApiError(502, "sync_failed", `Could not list the models of provider "${name}": ${sync.error}`);
  await saveProvider(d, { ...stored, models: sync.models, updated_at: Date.now() });
  return c.json(await registry.find(name));
}
