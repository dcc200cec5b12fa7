/**
 * The models the mock LLM says it serves, in the two listings Switchyard's model discovery
 * reads: OpenAI's `GET /v1/models` (with `context_length`, as OpenRouter reports it) and
 * Ollama's own API — `GET /api/tags`, then `POST /api/show` per model for its
 * `<family>.context_length` and `capabilities`. Every scenario is listed too, without details.
 */
import { z } from "zod";

export type MockModel = {
  id: string;
  context_length?: number;
  /** Ollama's words: `completion`, `tools`, `embedding`; default completion and tools. */
  capabilities?: string[];
};

export const mockModelsSchema = z.strictObject({
  models: z.array(z.strictObject({ id: z.string().min(1), context_length: z.int().positive().optional(), capabilities: z.array(z.string()).optional() })),
});

export function openAiModelList(ids: string[], declared: MockModel[]) {
  const listed = [...ids.filter((id) => !declared.some((m) => m.id === id)).map((id) => ({ id })), ...declared];
  return {
    object: "list",
    data: listed.map((m) => ({ id: m.id, object: "model", created: 0, owned_by: "switchyard-mock", ...("context_length" in m && m.context_length ? { context_length: m.context_length } : {}) })),
  };
}

/** Ollama lists the most recently pulled models first: declared models are the newest, so a long scenario list never pushes them past discovery's `/api/show` cap. */
export function ollamaTags(ids: string[], declared: MockModel[]) {
  const tag = (name: string, modified_at: string) => ({ name, model: name, modified_at, size: 0, digest: "", details: { family: "mock" } });
  const newest = declared.map((m) => tag(m.id, "2025-01-01T00:00:00Z"));
  const rest = ids.filter((id) => !declared.some((m) => m.id === id)).map((id) => tag(id, "2024-01-01T00:00:00Z"));
  return { models: [...newest, ...rest] };
}

export function ollamaShow(model: string, declared: MockModel[]) {
  const entry = declared.find((m) => m.id === model);
  return {
    details: { family: "mock" },
    model_info: { "general.architecture": "mock", ...(entry?.context_length ? { "mock.context_length": entry.context_length } : {}) },
    capabilities: entry?.capabilities ?? ["completion", "tools"],
  };
}
