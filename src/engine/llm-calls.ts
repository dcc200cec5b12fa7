/**
 * What an LLM step sent and got back, as its step record shows it: the request exactly as the
 * handler made it (system prompt after macro expansion, the history, the tools offered, the
 * sampling settings), the provider and model that were actually called, and the raw reply or
 * the error. Recorded at the LLM effect's boundary (`recordLlmCalls` wraps `effects.llm` for one
 * step), so every handler that asks the model is covered without knowing about it. Secrets are
 * never part of a request: provider keys are added by the client below this boundary.
 *
 * A record is bounded (`boundLlmCall`): when a call's messages are larger than the limit, the
 * largest contents are replaced by truncation markers until it fits; a reply or tool list over
 * the limit is replaced whole.
 */
import type { ChatMessage, ToolCall, ToolSpec, Usage } from "./chat";
import type { ChatRequest, ChatResponse, Clock, LLM } from "./effects";
import { EngineError } from "./errors";
import { isTruncated, recordedBytes, truncate, truncateForLog, type Truncatable } from "./truncate";

/** A message as recorded: its content may be a truncation marker. */
export type RecordedMessage = Omit<ChatMessage, "content"> & { content: Truncatable<ChatMessage["content"]> };

/** The request's settings as sent; the model and provider as the task asked for them (before a provider resolved them). */
export type LlmRequestRecord = Pick<ChatRequest, "tool_choice" | "max_tokens" | "temperature" | "top_p" | "stop" | "response_format" | "model" | "provider"> & {
  messages: RecordedMessage[];
  tools?: Truncatable<ToolSpec[]>;
};

export interface LlmReply {
  content: Truncatable<string | null>;
  tool_calls?: ToolCall[];
  finish_reason?: string;
  usage?: Usage;
}

export interface LlmCallError {
  type: string;
  message: string;
  retryable?: boolean;
  /** Set when what was thrown was not an engine error (its `type` is then the error's name). */
  native?: true;
}

export interface LlmCall {
  /** The provider actually called (the one asked for when the call failed before reaching one). */
  provider: string | null;
  /** The model actually called, as the provider named it in its reply. */
  model: string | null;
  request: LlmRequestRecord;
  /** Absent when the call failed, and while it is still in flight. */
  reply?: LlmReply;
  error?: LlmCallError;
  started_at: number;
  duration_ms: number;
}

/** `llm` recording each call it makes into `calls`, in order. */
export function recordLlmCalls(llm: LLM, calls: LlmCall[], clock: Clock): LLM {
  return {
    async chat(request, signal, onDelta) {
      const started = clock.now();
      const call: LlmCall = { provider: request.provider ?? null, model: request.model ?? null, request: requestRecord(request), started_at: started, duration_ms: 0 };
      calls.push(call);
      try {
        const response = await llm.chat(request, signal, onDelta);
        Object.assign(call, { provider: response.provider ?? call.provider, model: response.model, reply: replyRecord(response), duration_ms: clock.now() - started });
        return response;
      } catch (error) {
        const called = error instanceof EngineError ? error.options.llm : undefined;
        Object.assign(call, { ...called, error: callError(error), duration_ms: clock.now() - started });
        throw error;
      }
    },
  };
}

/** What an effect threw, as a record keeps it (`thrownAgain` throws it again). */
export function callError(error: unknown): LlmCallError {
  if (error instanceof EngineError) return { type: error.type, message: error.message, ...(error.options.retryable !== undefined ? { retryable: error.options.retryable } : {}) };
  if (error instanceof Error) return { type: error.name, message: error.message, native: true };
  return { type: "Error", message: String(error), native: true };
}

/** The error a recorded call threw, to throw again. */
export function thrownAgain(error: LlmCallError): Error {
  if (!error.native) return new EngineError(error.type, error.message, error.retryable !== undefined ? { retryable: error.retryable } : {});
  const native = new Error(error.message);
  native.name = error.type;
  return native;
}

/** The reply in the LLM effect's shape, from its record; undefined when the reply was cut. */
export function responseOf(call: LlmCall): ChatResponse | undefined {
  const reply = call.reply;
  if (reply === undefined || isTruncated(reply.content)) return undefined;
  const message: ChatMessage = { role: "assistant", content: reply.content, ...(reply.tool_calls ? { tool_calls: reply.tool_calls } : {}) };
  return {
    message,
    model: call.model ?? "",
    ...(call.provider !== null ? { provider: call.provider } : {}),
    ...(reply.usage ? { usage: reply.usage } : {}),
    ...(reply.finish_reason ? { finish_reason: reply.finish_reason } : {}),
  };
}

export function requestRecord(request: ChatRequest): LlmRequestRecord {
  const { messages, tools, tool_choice, max_tokens, temperature, top_p, stop, response_format, model, provider } = request;
  const record: LlmRequestRecord = { messages, tools, tool_choice, max_tokens, temperature, top_p, stop, response_format, model, provider };
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as LlmRequestRecord;
}

function replyRecord(response: ChatResponse): LlmReply {
  const { content, tool_calls } = response.message;
  return {
    content: typeof content === "string" || content === null ? content : JSON.stringify(content),
    ...(tool_calls?.length ? { tool_calls } : {}),
    ...(response.finish_reason ? { finish_reason: response.finish_reason } : {}),
    ...(response.usage ? { usage: response.usage } : {}),
  };
}

/** How much of a replaced content a marker keeps, as a share of the limit. */
const PREVIEW_SHARE = 64;

/**
 * The call within `maxBytes`: a reply or tool list over it is replaced by a marker; then, while
 * the messages are over it, the largest content still whole is replaced by one.
 */
export function boundLlmCall(call: LlmCall, maxBytes: number): LlmCall {
  const previewChars = Math.max(64, Math.floor(maxBytes / PREVIEW_SHARE));
  const messages = [...call.request.messages];
  let total = recordedBytes(messages);
  const bySize = messages
    .map((message, index) => ({ index, bytes: isTruncated(message.content) ? 0 : recordedBytes(message.content) }))
    .sort((a, b) => b.bytes - a.bytes || a.index - b.index);
  for (const { index, bytes } of bySize) {
    if (total <= maxBytes || bytes <= previewChars) break;
    const marker = truncate(messages[index]!.content, previewChars);
    messages[index] = { ...messages[index]!, content: marker };
    total += recordedBytes(marker) - bytes;
  }
  const tools = call.request.tools === undefined ? undefined : (truncateForLog(call.request.tools, maxBytes) as Truncatable<ToolSpec[]>);
  const request: LlmRequestRecord = { ...call.request, messages, ...(tools !== undefined ? { tools } : {}) };
  const reply = call.reply && { ...call.reply, content: truncateForLog(call.reply.content, maxBytes) as Truncatable<string | null> };
  return { ...call, request, ...(reply ? { reply } : {}) };
}
