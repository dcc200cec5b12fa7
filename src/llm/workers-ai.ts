/**
 * The LLM effect over Workers AI through the Worker's `AI` binding, for a provider whose base
 * URL is `workers-ai`. The binding answers in its own shapes, which this adapter reads into
 * the engine's: `{ response, tool_calls?, usage? }` (tool calls flat, `{ name, arguments }`
 * with the arguments as an object), or OpenAI's `choices` for the models that speak it. With a
 * delta listener it asks for `stream: true` and reads the SSE stream the binding returns —
 * `data: {"response": "…"}` lines (or `choices[0].delta`), tool-call pieces and usage on the
 * way, `data: [DONE]` at the end. The binding's errors carry Workers AI's internal code, which
 * maps onto the HTTP status that decides whether a retry is worth it. Embedding models answer
 * `{ text }` with their vectors (`workersAiEmbed`).
 */
import type { ChatMessage, ToolCall, Usage } from "../engine/chat";
import type { ChatRequest, ChatResponse, EmbedRequest, EmbedResponse, LLM } from "../engine/effects";
import { estimateTokens } from "../engine/tokens";
import { EngineError } from "../engine/errors";
import { WORKERS_AI, type AiBinding, type ProviderLookup } from "./provider";
import { cancelled, statusError } from "./errors";



/** The configured provider's base URL: `LLM_PROVIDER=workers-ai` needs none. */
export function configuredBaseUrl(llm: { baseUrl?: string; provider: string }): string | undefined {
  return llm.baseUrl ?? (llm.provider === WORKERS_AI ? WORKERS_AI : undefined);
}

/** `lookup` with the binding handed to every provider whose base URL is `workers-ai`. */
export function withWorkersAi(lookup: ProviderLookup, ai: AiBinding | undefined): ProviderLookup {
  return async (name) => {
    const provider = await lookup(name);
    return provider?.baseUrl === WORKERS_AI ? { ...provider, ai } : provider;
  };
}

export function workersAiLLM(ai: AiBinding | undefined, providerName = WORKERS_AI): LLM {
  return {
    async chat(request, signal, onDelta) {
      if (!ai) throw unbound(providerName);
      const model = request.model;
      if (!model) throw new EngineError("missing_model", `No model given for provider "${providerName}" (set LLM_MODEL or the task's execute_config.model).`, { retryable: false });
      try {
        const result = await ai.run(model, inputsOf(request, onDelta !== undefined), { signal });
        if (result instanceof ReadableStream) return await streamed(result as ReadableStream<Uint8Array>, model, onDelta);
        const response = whole(result, model);
        if (onDelta && typeof response.message.content === "string" && response.message.content) onDelta(response.message.content);
        return response;
      } catch (err) {
        throw bindingError(err, providerName, signal);
      }
    },
  };
}

/**
 * Vectors from a Workers AI embedding model (`@cf/baai/bge-…`): the binding takes `{ text }`
 * and answers `{ shape: [n, d], data }`, without usage, so the prompt tokens are estimated.
 */
export async function workersAiEmbed(ai: AiBinding | undefined, providerName: string, request: EmbedRequest & { model: string }, signal?: AbortSignal): Promise<EmbedResponse> {
  if (!ai) throw unbound(providerName);
  try {
    const result = (await ai.run(request.model, { text: request.input }, { signal })) as { shape?: number[]; data?: number[][] } | null;
    const vectors = result?.data;
    if (!Array.isArray(vectors) || vectors.length !== request.input.length) {
      throw new EngineError("provider_error", `Provider "${providerName}" answered ${request.model} without one vector per input.`, { retryable: true, status: 502 });
    }
    const tokens = request.input.reduce((sum, text) => sum + estimateTokens(text), 0);
    return { vectors, model: request.model, dimensions: vectors[0]?.length ?? 0, usage: { prompt_tokens: tokens, total_tokens: tokens } };
  } catch (err) {
    throw bindingError(err, providerName, signal);
  }
}

function unbound(providerName: string): EngineError {
  return new EngineError("workers_ai_unbound", `Provider "${providerName}" runs on Workers AI, but this Worker has no AI binding: add [ai] binding = "AI" to wrangler.toml and deploy.`, {
    retryable: false,
  });
}

function inputsOf(request: ChatRequest, stream: boolean): Record<string, unknown> {
  return {
    messages: request.messages.map(bindingMessage),
    ...(request.tools?.length ? { tools: request.tools.map((t) => ({ type: "function", function: t })) } : {}),
    ...(request.tool_choice !== undefined ? { tool_choice: request.tool_choice } : {}),
    ...(request.max_tokens !== undefined ? { max_tokens: request.max_tokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.top_p !== undefined ? { top_p: request.top_p } : {}),
    ...(request.response_format !== undefined ? { response_format: request.response_format } : {}),
    ...(stream ? { stream: true } : {}),
  };
}

/** The binding's schema refuses `content: null` (an assistant turn that only calls tools) and most models want text. */
function bindingMessage(message: ChatMessage): ChatMessage {
  const { content } = message;
  if (content === null) return { ...message, content: "" };
  if (Array.isArray(content) && content.every((part) => part.type === "text")) {
    return { ...message, content: content.map((part) => String(part.text)).join("") };
  }
  return message;
}

/** A tool call as Workers AI sends it: flat (`name`, `arguments` object) or OpenAI's, possibly in pieces. */
interface RawToolCall {
  index?: number;
  id?: string | null;
  name?: string | null;
  arguments?: unknown;
  function?: { name?: string | null; arguments?: unknown } | null;
}

interface RawChoice {
  message?: { content?: string | null; tool_calls?: RawToolCall[] };
  delta?: { content?: string | null; tool_calls?: RawToolCall[] };
  finish_reason?: string | null;
}

/** One non-streamed answer, or one frame of a stream. */
interface RawOutput {
  response?: unknown;
  tool_calls?: RawToolCall[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
  choices?: RawChoice[];
  finish_reason?: string | null;
}

function whole(result: unknown, model: string): ChatResponse {
  if (typeof result === "string") return { message: assistant(result, []), model, finish_reason: "stop" };
  const output = (result ?? {}) as RawOutput;
  const choice = output.choices?.[0];
  const calls = new ToolCalls();
  calls.add(output.tool_calls ?? choice?.message?.tool_calls ?? []);
  const text = choice?.message?.content ?? responseText(output.response);
  return {
    message: assistant(text || null, calls.list()),
    model,
    finish_reason: finishReason(choice?.finish_reason ?? output.finish_reason, calls),
    usage: usageOf(output.usage),
  };
}

async function streamed(stream: ReadableStream<Uint8Array>, model: string, onDelta: ((text: string) => void) | undefined): Promise<ChatResponse> {
  let content = "";
  let finish: string | null | undefined;
  let usage: Usage | undefined;
  const calls = new ToolCalls();
  for await (const frame of sseData(stream)) {
    const choice = frame.choices?.[0];
    const text = choice?.delta?.content ?? responseText(frame.response);
    if (text) {
      content += text;
      onDelta?.(text);
    }
    calls.add(frame.tool_calls ?? choice?.delta?.tool_calls ?? []);
    finish = choice?.finish_reason ?? frame.finish_reason ?? finish;
    usage = usageOf(frame.usage) ?? usage;
  }
  return { message: assistant(content || null, calls.list()), model, finish_reason: finishReason(finish, calls), usage };
}

/** The JSON payloads of the stream's `data:` lines, up to `[DONE]`. */
async function* sseData(stream: ReadableStream<Uint8Array>): AsyncGenerator<RawOutput> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += decoder.decode(value, { stream: !done });
      const lines = buffer.split("\n");
      buffer = done ? "" : (lines.pop() ?? "");
      for (const line of lines) {
        const data = /^data:\s?(.*)$/.exec(line.trim())?.[1];
        if (data === undefined || data === "") continue;
        if (data === "[DONE]") return;
        yield JSON.parse(data) as RawOutput;
      }
      if (done) return;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}

function responseText(response: unknown): string {
  if (response === null || response === undefined) return "";
  // Some models answer a JSON mode request with the object itself.
  return typeof response === "object" ? JSON.stringify(response) : String(response);
}

/** Tool calls gathered from whole calls or streamed pieces (merged by `index`). */
class ToolCalls {
  #calls: ToolCall[] = [];
  #byIndex = new Map<number, ToolCall>();

  add(parts: RawToolCall[]): void {
    for (const part of parts) {
      const name = part.function?.name ?? part.name ?? "";
      const args = part.function?.arguments ?? part.arguments;
      // The stream closes each call with an empty piece (no id, name or arguments).
      if (!part.id && !name && (args === undefined || args === null || args === "")) continue;
      const call = this.#callFor(part);
      if (part.id) call.id = part.id;
      if (name) call.function.name = name;
      if (typeof args === "string") call.function.arguments += args;
      else if (args !== undefined && args !== null) call.function.arguments = JSON.stringify(args);
    }
  }

  list(): ToolCall[] {
    return this.#calls.map((call) => (call.function.arguments ? call : { ...call, function: { ...call.function, arguments: "{}" } }));
  }

  #callFor(part: RawToolCall): ToolCall {
    const existing = part.index === undefined ? undefined : this.#byIndex.get(part.index);
    if (existing) return existing;
    const call: ToolCall = { id: `call_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`, type: "function", function: { name: "", arguments: "" } };
    this.#calls.push(call);
    if (part.index !== undefined) this.#byIndex.set(part.index, call);
    return call;
  }

  get size(): number {
    return this.#calls.length;
  }
}

function finishReason(raw: string | null | undefined, calls: ToolCalls): string {
  if (raw === "model_length") return "length";
  return raw || (calls.size > 0 ? "tool_calls" : "stop");
}

function usageOf(raw: RawOutput["usage"]): Usage | undefined {
  if (!raw) return undefined;
  const prompt = raw.prompt_tokens ?? 0;
  const completion = raw.completion_tokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: raw.total_tokens ?? prompt + completion };
}

function assistant(content: string | null, calls: ToolCall[]): ChatMessage {
  return { role: "assistant", content, ...(calls.length ? { tool_calls: calls } : {}) };
}

/**
 * Workers AI's internal error codes and the HTTP status each stands for, from
 * https://developers.cloudflare.com/workers-ai/platform/errors/ — the binding throws them as
 * `"<code>: <description>"`, without a status of its own.
 */
const STATUS_BY_CODE: Record<string, number> = {
  "3003": 400,
  "3039": 400,
  "5004": 400,
  "5007": 400,
  "3023": 403,
  "3041": 403,
  "5016": 403,
  "5018": 403,
  "3042": 404,
  "5005": 405,
  "5019": 405,
  "3007": 408,
  "3008": 408,
  "3006": 413,
  "3036": 429,
  "3040": 429,
};

function bindingError(err: unknown, providerName: string, signal: AbortSignal | undefined): EngineError {
  if (err instanceof EngineError) return err;
  if (signal?.aborted || (err instanceof Error && err.name === "AbortError")) return cancelled();
  const message = err instanceof Error ? err.message : String(err);
  const code = /\b([35]\d{3}):/.exec(message)?.[1];
  // An unknown code, or none (InferenceUpstreamError, AiInternalError), is the service's own trouble.
  const status = (code && STATUS_BY_CODE[code]) || 502;
  return statusError(providerName, status, message);
}
