/**
 * One embeddings call to one backend — the router (router.ts) picks which: an OpenAI-compatible
 * `/embeddings` endpoint through the official `openai` SDK, or the Workers AI binding for a
 * provider whose base URL is `workers-ai`. Vectors are always asked for as floats: not every
 * server (Ollama's among them) speaks base64, and `POST /v1/embeddings` encodes its own answer.
 */
import type { EmbedRequest, EmbedResponse } from "../engine/effects";
import { EngineError } from "../engine/errors";
import { endpointClient } from "./client";
import { providerError } from "./errors";
import { WORKERS_AI, type Provider } from "./provider";
import { workersAiEmbed } from "./workers-ai";

export async function embedWith(provider: Provider, request: EmbedRequest & { model: string }, signal?: AbortSignal): Promise<EmbedResponse> {
  if (provider.baseUrl === WORKERS_AI) return workersAiEmbed(provider.ai, provider.name, request, signal);
  try {
    const answer = await endpointClient(provider).embeddings.create(
      {
        model: request.model,
        input: request.input,
        encoding_format: "float",
        ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
        ...(request.user ? { user: request.user } : {}),
      },
      { signal },
    );
    const vectors = [...answer.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
    if (vectors.length !== request.input.length) {
      throw new EngineError("provider_error", `Provider "${provider.name}" answered ${vectors.length} vectors for ${request.input.length} inputs.`, { retryable: true, status: 502 });
    }
    const { prompt_tokens, total_tokens } = answer.usage ?? { prompt_tokens: 0, total_tokens: 0 };
    return { vectors, model: answer.model || request.model, dimensions: vectors[0]?.length ?? 0, usage: { prompt_tokens, total_tokens } };
  } catch (err) {
    throw providerError(err, provider.name, provider.baseUrl);
  }
}
