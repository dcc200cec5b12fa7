/**
 * `execute_tool_calls`: runs the tool calls of the last assistant message in the input chat
 * history, one after another in the order the model gave them, and appends one `tool` message
 * per call. A failing call (unknown or ungranted tool, arguments that are not JSON or do not
 * fit the tool's schema, which the tool registry checks, a tool that throws) becomes a tool
 * message saying what went wrong, so the model can correct itself instead of the run failing.
 * A result larger than `execute_config.max_result_bytes` (default 128 KiB) is replaced by a
 * marker that says so and keeps the start of it.
 */

import { isChatHistory } from "../templates";
import { isInvalidArguments } from "../tool-arguments";
import { EngineError } from "../errors";
import { parseJsonText } from "../json-text";
import type { ChatHistory, ChatMessage, ToolCall } from "../chat";
import type { RunState } from "../run-state";
import type { Handler, HandlerContext } from "./types";

export const DEFAULT_MAX_RESULT_BYTES = 128 * 1024;

/** How much of an oversized result the marker keeps, so the model sees what it was. */
const PREVIEW_BYTES = 2048;

export const execute_tool_calls: Handler = async (ctx) => {
  const { input, task } = ctx;
  const last = isChatHistory(input) ? input.messages.findLast((message) => message.role === "assistant") : undefined;
  const calls = last?.tool_calls ?? [];
  if (!isChatHistory(input) || calls.length === 0) {
    throw new EngineError(
      "validation",
      `task "${task.id}" (execute_tool_calls) needs a chat history whose last assistant message calls tools; ` +
        `point its input_var at a chat_completion task and reach it on the "tool-call" eval`,
    );
  }
  // Only tools this task's grant covers may run, whatever the model asks for; without a grant of
  // its own the task runs any registered tool (the chat task's grant already shaped the offer).
  const available = new Set((await ctx.effects.tools.list(task.execute_config?.tools ?? ["*"])).map((tool) => tool.name));
  const maxBytes = maxResultBytes(ctx);
  const results: ChatMessage[] = [];
  for (const call of calls) {
    ctx.signal?.throwIfAborted();
    const content = capResult(call.function.name, await runCall(ctx, call, available), maxBytes);
    results.push({ role: "tool", tool_call_id: call.id, name: call.function.name, content });
  }
  const output: ChatHistory = { kind: "chat", messages: [...input.messages, ...results] };
  return { output, eval: "executed" };
};

/**
 * The idempotency key of a tool call, `<run id>:<step index>:<tool call id>`: the same on every
 * re-execution of the step, so a tool (and an approval) can recognise the call.
 */
export function toolCallKey(state: Pick<RunState, "run_id" | "step_count">, callId: string): string {
  return `${state.run_id}:${state.step_count}:${callId}`;
}

async function runCall(ctx: HandlerContext, call: ToolCall, available: ReadonlySet<string>): Promise<string> {
  const { name } = call.function;
  if (!available.has(name)) return `error: tool "${name}" is not available to this task`;
  const parsed = call.function.arguments.trim() === "" ? { ok: true as const, value: {} } : parseJsonText(call.function.arguments);
  if (!parsed.ok) {
    return parsed.type === "invalid_json"
      ? `error: the arguments for tool "${name}" are not valid JSON: ${call.function.arguments}`
      : `error: the arguments for tool "${name}" are refused: ${parsed.message}`;
  }
  const args = parsed.value;
  try {
    const result = await ctx.effects.tools.call(name, args, {
      runId: ctx.state.run_id,
      taskId: ctx.task.id,
      idempotencyKey: toolCallKey(ctx.state, call.id),
      signal: ctx.signal,
    });
    // Told as a sentence, like the refusals above, for the model to correct its call.
    if (isInvalidArguments(result)) return `error: ${result.error}`;
    return typeof result === "string" ? result : (JSON.stringify(result) ?? "null");
  } catch (error) {
    return `error: tool "${name}" failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function maxResultBytes(ctx: HandlerContext): number {
  const configured = ctx.task.execute_config?.max_result_bytes;
  return typeof configured === "number" && Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_RESULT_BYTES;
}

/** The content as is when it fits, else a JSON marker with its size, the limit and a preview. */
export function capResult(tool: string, content: string, maxBytes: number): string {
  const bytes = new TextEncoder().encode(content).length;
  if (bytes <= maxBytes) return content;
  const preview = new TextDecoder().decode(new TextEncoder().encode(content).slice(0, Math.min(PREVIEW_BYTES, maxBytes))).replace(/\uFFFD$/, "");
  return JSON.stringify({
    truncated: true,
    message: `The result of tool "${tool}" was ${bytes} bytes, over the ${maxBytes}-byte limit for tool results, and was cut. Ask for less (filter, page or select fields).`,
    original_bytes: bytes,
    max_bytes: maxBytes,
    preview,
  });
}
