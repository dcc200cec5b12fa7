/**
 * Asking the LLM for one short answer: the shared core of `route` and the `prompt_to_*`
 * handlers. It builds the request from the task's settings, sends the rendered prompt (or the
 * input) under the task's system instruction plus a format instruction, and turns the answer
 * into the handler's output or a typed error that names what the model said.
 */

import { messageText, stringify } from "./templates";
import { EngineError } from "./errors";
import type { ChatMessage, Usage } from "./chat";
import type { ChatRequest } from "./effects";
import type { HandlerContext, HandlerOutput } from "./handlers/types";

/**
 * An error about an answer the model did give: the tokens were spent all the same, so the error
 * carries the usage for the run's accounting.
 */
export class AnswerError extends EngineError {
  constructor(
    type: string,
    message: string,
    readonly answer: Answer,
    options: { retryable: boolean },
  ) {
    super(type, message, options);
  }
}

export interface Answer {
  text: string;
  usage?: Usage;
  model: string;
}

/** Model, provider, routing and sampling settings of the task, in the shape the LLM effect takes. */
export function requestFor(ctx: HandlerContext, messages: ChatMessage[]): ChatRequest {
  const config = ctx.task.execute_config ?? {};
  const request: ChatRequest = {
    model: ctx.model,
    provider: ctx.provider,
    providers: config.providers,
    routing: config.routing,
    messages,
    max_tokens: config.max_tokens,
    temperature: config.temperature,
    top_p: config.top_p,
    stop: config.stop,
    token_limit: ctx.chain.token_limit,
    on_token_limit: config.on_token_limit,
  };
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined)) as ChatRequest;
}

/** The text a task works on: its rendered `prompt_template`, else its input. */
export function promptText(ctx: HandlerContext): string {
  return ctx.prompt ?? stringify(ctx.input);
}

/** Sends the task's prompt with `format` appended to its system instruction. */
export async function ask(ctx: HandlerContext, format: string): Promise<Answer> {
  const system = [ctx.system, format].filter((text) => text !== undefined && text.trim() !== "").join("\n\n");
  const messages: ChatMessage[] = [
    { role: "system", content: system },
    { role: "user", content: promptText(ctx) },
  ];
  const response = await ctx.effects.llm.chat(requestFor(ctx, messages), ctx.signal);
  return { text: messageText(response.message).trim(), usage: response.usage, model: response.model };
}

/**
 * Asks, then parses the answer into the task's output. An answer that does not parse is a
 * `parse_error`; it is retryable because a second sample often gets the format right.
 */
export async function askFor(
  ctx: HandlerContext,
  format: string,
  expected: string,
  parse: (text: string) => string | number | undefined,
): Promise<HandlerOutput> {
  const answer = await ask(ctx, format);
  const value = parse(answer.text);
  if (value === undefined) {
    throw new AnswerError("parse_error", `task "${ctx.task.id}": model answered ${quote(answer.text)}, expected ${expected}`, answer, {
      retryable: true,
    });
  }
  return { output: value, eval: String(value), usage: answer.usage, model: answer.model };
}

/**
 * Finds the one label an answer means. Exact matches win (ignoring case, quotes and trailing
 * punctuation); otherwise the answer counts only when exactly one label appears in it as a
 * whole word, so "I'd say **Billing**." picks `billing` but "billing or sales" picks nothing.
 * `aliases` map extra answers onto labels (e.g. yes → true).
 */
export function matchLabel(answer: string, labels: string[], aliases: Record<string, string> = {}): string | undefined {
  const spelled = new Map<string, string>();
  for (const label of labels) spelled.set(label.toLowerCase(), label);
  for (const [alias, label] of Object.entries(aliases)) spelled.set(alias.toLowerCase(), label);

  const text = answer.toLowerCase();
  const bare = text.replace(/^[\s"'`*_.:;!?()[\]]+|[\s"'`*_.:;!?()[\]]+$/g, "");
  const exact = spelled.get(bare);
  if (exact !== undefined) return exact;

  const found = new Set<string>();
  for (const [spelling, label] of spelled) {
    if (new RegExp(`(?<![\\w-])${escapeRegExp(spelling)}(?![\\w-])`).test(text)) found.add(label);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** An answer quoted for an error message, cut short so one chatty reply cannot flood a log. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
