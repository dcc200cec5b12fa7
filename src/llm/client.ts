/**
 * One chat call to one backend — the router (router.ts) picks which: any OpenAI-compatible
 * endpoint, through the official `openai` SDK. Retries are the run's business (by alarm, per
 * the task's retry policy) and failover the router's, so the SDK's own retries are off. With a
 * delta listener the reply is streamed and reassembled here, so tokens can leave Switchyard
 * before the provider has sent its last — unless the provider declares the model without the
 * "streaming" capability, in which case the whole reply is fetched and handed to the listener
 * at once. A provider whose base URL is `workers-ai` is served by the Workers AI binding
 * instead (workers-ai.ts).
 */
import OpenAI from "openai";
import type { ChatCompletionCreateParamsBase } from "openai/resources/chat/completions";
import type { ChatMessage, ToolCall, Usage } from "../engine/chat";
import type { ChatRequest, ChatResponse } from "../engine/effects";
import { EngineError } from "../engine/errors";
import { providerError } from "./errors";
import { WORKERS_AI, type Provider } from "./provider";
import { workersAiLLM } from "./workers-ai";

const TIMEOUT_MS = 120_000;

/** One chat call to one provider, for the model `request.model` names. */
export async function chatWith(provider: Provider, request: ChatRequest & { model: string }, signal?: AbortSignal, onDelta?: (text: string) => void): Promise<ChatResponse> {
  const streamTo = onDelta && streams(provider, request.model) ? onDelta : undefined;
  let response: ChatResponse;
  try {
    response =
      provider.baseUrl === WORKERS_AI
        ? await workersAiLLM(provider.ai, provider.name).chat(request, signal, streamTo)
        : await fromEndpoint(provider, completionParams(request, request.model), signal, streamTo);
  } catch (err) {
    // The step record names what a failed call tried.
    if (err instanceof EngineError) err.options.llm ??= { provider: provider.name, model: request.model };
    throw err;
  }
  if (onDelta && !streamTo && typeof response.message.content === "string" && response.message.content) onDelta(response.message.content);
  return { ...response, provider: provider.name };
}

async function fromEndpoint(provider: Provider, params: ChatCompletionCreateParamsBase, signal: AbortSignal | undefined, onDelta: ((text: string) => void) | undefined): Promise<ChatResponse> {
  const client = endpointClient(provider);
  try {
    return onDelta ? await streamed(client, params, signal, onDelta, params.model) : await whole(client, params, signal, params.model, provider.name);
  } catch (err) {
    throw providerError(err, provider.name, provider.baseUrl);
  }
}

/** The SDK client for a provider's endpoint, made once per endpoint and key in an isolate. */
export function endpointClient(provider: Provider): OpenAI {
  const key = JSON.stringify([provider.baseUrl, provider.apiKey ?? "none"]);
  let client = clients.get(key);
  if (!client) {
    if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
    client = new OpenAI({ baseURL: provider.baseUrl, apiKey: provider.apiKey ?? "none", maxRetries: 0, timeout: TIMEOUT_MS });
    clients.set(key, client);
  }
  return client;
}
const clients = new Map<string, OpenAI>();
/** Endpoints whose client an isolate keeps; the oldest goes first past this. */
const MAX_CLIENTS = 64;

function streams(provider: Provider, model: string): boolean {
  const declared = provider.models?.find((m) => m.id === model);
  return declared === undefined || declared.capabilities.includes("streaming");
}

function completionParams(request: ChatRequest, model: string): ChatCompletionCreateParamsBase {
  return {
    model,
    messages: request.messages as ChatCompletionCreateParamsBase["messages"],
    ...(request.tools?.length ? { tools: request.tools.map((t) => ({ type: "function" as const, function: t })) } : {}),
    ...(request.tool_choice !== undefined ? { tool_choice: request.tool_choice as ChatCompletionCreateParamsBase["tool_choice"] } : {}),
    ...(request.max_tokens !== undefined ? { max_tokens: request.max_tokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.top_p !== undefined ? { top_p: request.top_p } : {}),
    ...(request.stop?.length ? { stop: request.stop } : {}),
    ...(request.response_format !== undefined ? { response_format: request.response_format as ChatCompletionCreateParamsBase["response_format"] } : {}),
    ...(request.user ? { user: request.user } : {}),
  };
}

async function whole(client: OpenAI, params: ChatCompletionCreateParamsBase, signal: AbortSignal | undefined, model: string, providerName: string): Promise<ChatResponse> {
  const completion = await client.chat.completions.create({ ...params, stream: false }, { signal });
  const choice = completion.choices[0];
  if (!choice) throw new EngineError("provider_error", `Provider "${providerName}" returned no choices.`, { retryable: true });
  const calls = (choice.message.tool_calls ?? []).flatMap((c) =>
    c.type === "function" ? [{ id: c.id, type: "function" as const, function: { name: c.function.name, arguments: c.function.arguments } }] : [],
  );
  return {
    message: assistant(choice.message.content ?? null, calls),
    model: completion.model || model,
    finish_reason: choice.finish_reason ?? undefined,
    usage: completion.usage ? usageOf(completion.usage) : undefined,
  };
}

async function streamed(
  client: OpenAI,
  params: ChatCompletionCreateParamsBase,
  signal: AbortSignal | undefined,
  onDelta: (text: string) => void,
  model: string,
): Promise<ChatResponse> {
  const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }, { signal });
  let content = "";
  let finish: string | undefined;
  let usage: Usage | undefined;
  let answeredBy = model;
  const calls: ToolCall[] = [];
  for await (const chunk of stream) {
    if (chunk.model) answeredBy = chunk.model;
    if (chunk.usage) usage = usageOf(chunk.usage);
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (choice.finish_reason) finish = choice.finish_reason;
    const delta = choice.delta;
    if (delta?.content) {
      content += delta.content;
      onDelta(delta.content);
    }
    for (const part of delta?.tool_calls ?? []) {
      const call = (calls[part.index] ??= { id: "", type: "function", function: { name: "", arguments: "" } });
      if (part.id) call.id = part.id;
      if (part.function?.name) call.function.name += part.function.name;
      if (part.function?.arguments) call.function.arguments += part.function.arguments;
    }
  }
  return { message: assistant(content || null, calls.filter(Boolean)), model: answeredBy, finish_reason: finish, usage };
}

function assistant(content: string | null, calls: ToolCall[]): ChatMessage {
  return { role: "assistant", content, ...(calls.length ? { tool_calls: calls } : {}) };
}

function usageOf(u: { prompt_tokens: number; completion_tokens: number; total_tokens?: number }): Usage {
  return { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens, total_tokens: u.total_tokens ?? u.prompt_tokens + u.completion_tokens };
}
