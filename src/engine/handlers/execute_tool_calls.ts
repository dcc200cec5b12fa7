/**
 * `execute_tool_calls`: runs the tool calls of the last assistant message in the input chat
 * history, one after another in the order the model gave them, and appends one `tool` message
 * per call. A failing call (unknown or ungranted tool, arguments that are not JSON, a tool that
 * throws) becomes a tool message saying what went wrong, so the model can correct itself
 * instead of the run failing.
 */

import { isChatHistory } from "../templates";
import { EngineError } from "../types";
import type { ChatHistory, ChatMessage, Handler, HandlerContext, ToolCall } from "../types";

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
  const results: ChatMessage[] = [];
  for (const call of calls) {
    ctx.signal?.throwIfAborted();
    results.push({ role: "tool", tool_call_id: call.id, name: call.function.name, content: await runCall(ctx, call, available) });
  }
  const output: ChatHistory = { kind: "chat", messages: [...input.messages, ...results] };
  return { output, eval: "executed" };
};

async function runCall(ctx: HandlerContext, call: ToolCall, available: Set<string>): Promise<string> {
  const { name } = call.function;
  if (!available.has(name)) return `error: tool "${name}" is not available to this task`;
  let args: unknown;
  try {
    args = call.function.arguments.trim() === "" ? {} : JSON.parse(call.function.arguments);
  } catch {
    return `error: the arguments for tool "${name}" are not valid JSON: ${call.function.arguments}`;
  }
  try {
    const result = await ctx.effects.tools.call(name, args, {
      runId: ctx.state.run_id,
      taskId: ctx.task.id,
      idempotencyKey: `${ctx.state.run_id}:${ctx.state.step_count}:${call.id}`,
      signal: ctx.signal,
    });
    return typeof result === "string" ? result : (JSON.stringify(result) ?? "null");
  } catch (error) {
    return `error: tool "${name}" failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}
