/**
 * Model discovery: which models a backend serves, read from the backend itself — Ollama's tag
 * list (`/api/tags`, then `/api/show` per model for its context length and capabilities) for a
 * provider of type `ollama`, OpenAI's `/models` for everything else. The context length is
 * kept where the backend reports it (OpenRouter's `context_length`, vLLM's `max_model_len`,
 * Ollama's `<family>.context_length`). OpenAI's list says nothing of capabilities, so a model
 * named like an embedding model is taken for one and any other for a chat model.
 */
import { EngineError } from "../engine/errors";
import { statusError } from "./errors";
import { WORKERS_AI, type Capability, type ModelInfo, type Provider } from "./provider";

type Fetch = typeof fetch;

const CHAT: Capability[] = ["chat", "tools", "streaming"];
const TIMEOUT_MS = 15_000;
/** Ollama needs one `/api/show` per model; a server with more models keeps the rest without a context length. */
const MAX_SHOWN = 50;

export async function discoverModels(provider: Provider, fetcher: Fetch = fetch): Promise<ModelInfo[]> {
  if (provider.baseUrl === WORKERS_AI) {
    throw new EngineError("sync_unsupported", `Provider "${provider.name}" runs on the Workers AI binding, which has no model list to read; declare its models instead.`, { retryable: false });
  }
  const get = (url: string, init?: RequestInit) => readJson(provider, url, fetcher, init);
  return provider.type === "ollama" ? ollamaModels(provider, get) : openAiModels(provider, get);
}

type Get = (url: string, init?: RequestInit) => Promise<unknown>;

async function openAiModels(provider: Provider, get: Get): Promise<ModelInfo[]> {
  const body = (await get(`${provider.baseUrl.replace(/\/+$/, "")}/models`)) as { data?: Array<Record<string, unknown>> };
  return (body.data ?? []).flatMap((entry) => {
    if (typeof entry.id !== "string" || entry.id === "") return [];
    const context = [entry.context_length, entry.max_model_len, entry.context_window].find((n): n is number => typeof n === "number" && Number.isInteger(n) && n > 0);
    return [{ id: entry.id, ...(context ? { context_length: context } : {}), capabilities: /embed/i.test(entry.id) ? ["embeddings" as const] : CHAT }];
  });
}

async function ollamaModels(provider: Provider, get: Get): Promise<ModelInfo[]> {
  // Ollama's OpenAI-compatible API lives under /v1; its own API under /api on the same origin.
  const origin = provider.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
  const tags = (await get(`${origin}/api/tags`)) as { models?: Array<{ name?: unknown; model?: unknown }> };
  const names = (tags.models ?? []).flatMap((m) => (typeof m.name === "string" ? [m.name] : typeof m.model === "string" ? [m.model] : []));
  return Promise.all(
    names.map(async (name, index): Promise<ModelInfo> => {
      if (index >= MAX_SHOWN) return { id: name, capabilities: CHAT };
      const shown = (await get(`${origin}/api/show`, { method: "POST", body: JSON.stringify({ model: name }) })) as { model_info?: Record<string, unknown>; capabilities?: unknown };
      const context = Object.entries(shown.model_info ?? {}).find(([key, value]) => key.endsWith(".context_length") && typeof value === "number")?.[1] as number | undefined;
      return { id: name, ...(context ? { context_length: context } : {}), capabilities: ollamaCapabilities(shown.capabilities) };
    }),
  );
}

/** Ollama says `completion`, `tools`, `embedding` (and more, such as `vision`); older servers say nothing. */
function ollamaCapabilities(reported: unknown): Capability[] {
  if (!Array.isArray(reported)) return CHAT;
  const capabilities: Capability[] = [];
  if (reported.includes("completion")) capabilities.push("chat", "streaming");
  if (reported.includes("tools")) capabilities.push("tools");
  if (reported.includes("embedding")) capabilities.push("embeddings");
  return capabilities.length > 0 ? capabilities : CHAT;
}

async function readJson(provider: Provider, url: string, fetcher: Fetch, init: RequestInit = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetcher(url, {
      ...init,
      headers: { accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}), ...(provider.apiKey ? { authorization: `Bearer ${provider.apiKey}` } : {}) },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw new EngineError("provider_unreachable", `Provider "${provider.name}" could not be reached at ${url}: ${err instanceof Error ? err.message : String(err)}`, { retryable: true, status: 502 });
  }
  const text = await response.text();
  if (!response.ok) throw statusError(provider.name, response.status, `${url}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EngineError("provider_error", `Provider "${provider.name}" answered ${url} with something other than JSON.`, { retryable: false, status: 502 });
  }
}
