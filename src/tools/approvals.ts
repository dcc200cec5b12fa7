/**
 * Which calls of the step about to run need a human's approval: the model's calls (an
 * `execute_tool_calls` task) or the hook's call (a `hook` task) to a granted tool marked
 * `requires_approval`. Each is identified by its call id and by the idempotency key the call
 * will carry, which is how the run finds the decision when the step finally runs.
 */
import { toolCallKey } from "../engine/handlers/execute_tool_calls";
import { templateScope } from "../engine/template-scope";
import { isChatHistory, renderTemplateValue } from "../engine/templates";
import type { Task } from "../engine/chain";
import type { RunState } from "../engine/run-state";
import { resolveGrant } from "./grants";
import type { ToolEntry } from "./types";

export interface ApprovalRequest {
  call_id: string;
  key: string;
  task_id: string;
  tool: string;
  arguments: unknown;
}

export function approvalRequests(task: Task, input: unknown, state: Readonly<RunState>, entries: ToolEntry[]): ApprovalRequest[] {
  const needsApproval = new Set(entries.filter((e) => e.requires_approval).map((e) => e.spec.name));
  if (needsApproval.size === 0) return [];
  if (task.handler === "hook" && task.hook && needsApproval.has(task.hook.tool_name)) {
    const args = renderTemplateValue(task.hook.args, templateScope(state));
    return [{ call_id: task.id, key: toolCallKey(state, task.id), task_id: task.id, tool: task.hook.tool_name, arguments: args }];
  }
  if (task.handler !== "execute_tool_calls" || !isChatHistory(input)) return [];
  const granted = new Set(resolveGrant(entries, task.execute_config?.tools ?? ["*"]).map((e) => e.spec.name));
  const calls = input.messages.findLast((m) => m.role === "assistant")?.tool_calls ?? [];
  return calls
    .filter((call) => granted.has(call.function.name) && needsApproval.has(call.function.name))
    .map((call) => ({ call_id: call.id, key: toolCallKey(state, call.id), task_id: task.id, tool: call.function.name, arguments: parseArguments(call.function.arguments) }));
}

function parseArguments(text: string): unknown {
  try {
    return text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return text;
  }
}
