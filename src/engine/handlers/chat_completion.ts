/**
 * `chat_completion`: one LLM turn. The conversation is the input chat history, or a single user
 * message made of the rendered prompt (else the input as text); the system instruction goes in
 * front, the chain's `token_limit` is applied, and the granted tools are offered. The output is
 * the conversation with the reply appended (without the system instruction, so a chat → tools →
 * chat loop does not stack it up); the eval is "tool-call" when the reply calls tools. A reply
 * the provider cut short ("length", "content_filter") says so in the output's `finish_reason`.
 * A run's request overrides (see overrides.ts) apply to every chat turn.
 */

import { isChatHistory } from "../templates";
import { fitToTokenLimit } from "../tokens";
import { EngineError } from "../errors";
import type { ChatHistory, ChatMessage, CutShort, ToolSpec } from "../chat";
import type { Handler, HandlerContext } from "./types";
import { CLIENT_TOOL_CALL, callsClientTool } from "../client-tools";
import { applyOverrides, readOverrides } from "../overrides";
import { promptText, requestFor } from "../ask";

export const chat_completion: Handler = async (ctx) => {
  const { chain, task } = ctx;
  const conversation: ChatMessage[] = isChatHistory(ctx.input)
    ? ctx.input.messages
    : [{ role: "user", content: promptText(ctx) }];
  const system: ChatMessage[] = ctx.system?.trim() ? [{ role: "system", content: ctx.system }] : [];
  const messages =
    chain.token_limit === undefined
      ? [...system, ...conversation]
      : fitToTokenLimit([...system, ...conversation], chain.token_limit, task.execute_config?.on_token_limit ?? "truncate");
  const tools = await offeredTools(ctx);

  const request = applyOverrides(requestFor(ctx, messages), readOverrides(ctx.state.vars), tools.clients.length > 0);
  const offered = [...tools.granted, ...tools.clients];
  if (offered.length > 0) request.tools = offered;
  const response = await ctx.effects.llm.chat(request, ctx.signal);

  const cut = cutShort(response.finish_reason);
  const output: ChatHistory = { kind: "chat", messages: [...conversation, response.message], ...(cut ? { finish_reason: cut } : {}) };
  const calls = response.message.tool_calls ?? [];
  const evalValue = calls.length === 0 ? "executed" : callsClientTool(calls, tools.clients, tools.granted) ? CLIENT_TOOL_CALL : "tool-call";
  return { output, eval: evalValue, usage: response.usage, model: response.model };
};

function cutShort(reason: string | undefined): CutShort | undefined {
  return reason === "length" || reason === "content_filter" ? reason : undefined;
}

/** The tools the task's grant gives, plus the client's own when the task passes them through. */
async function offeredTools(ctx: HandlerContext): Promise<{ granted: ToolSpec[]; clients: ToolSpec[] }> {
  const config = ctx.task.execute_config ?? {};
  const grant = config.tools ?? [];
  if (grant.length > 0) {
    const missing = await ctx.effects.tools.missing(grant);
    if (missing.length > 0) {
      throw new EngineError(
        "missing_tools",
        `task "${ctx.task.id}" grants tools that are not registered: ${missing.join(", ")}; register them or remove them from execute_config.tools`,
        { retryable: false },
      );
    }
  }
  const granted = grant.length > 0 ? await ctx.effects.tools.list(grant) : [];
  const clients = config.pass_clients_tools ? (ctx.client_tools ?? []) : [];
  return { granted, clients };
}
