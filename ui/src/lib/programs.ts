/**
 * The programs a run ran in its sandbox: each `run_js` step's output, and each result of an
 * `execute_js` tool call (found in the tool messages an `execute_tool_calls` step added).
 */
import type { SandboxEnvelope, Step } from "../api/types";
import { isHistory, parseJson } from "./chat-values";

export function isEnvelope(value: unknown): value is SandboxEnvelope {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<SandboxEnvelope>;
  return typeof v.ok === "boolean" && typeof v.code === "string" && Array.isArray(v.calls) && Array.isArray(v.logs);
}

/** The sandbox executions of one step, in order. */
export function stepPrograms(step: Step): SandboxEnvelope[] {
  // Only run_js makes one: later steps (a `print` of its result, say) may pass the envelope on.
  if (step.handler === "run_js") return isEnvelope(step.output) ? [step.output] : [];
  if (step.handler !== "execute_tool_calls" || !isHistory(step.output)) return [];
  const ids = new Set<string>();
  for (const message of step.output.messages) {
    for (const call of message.tool_calls ?? []) if (call.function.name === "execute_js") ids.add(call.id);
  }
  return step.output.messages.flatMap((m) => {
    if (m.role !== "tool" || !m.tool_call_id || !ids.has(m.tool_call_id) || typeof m.content !== "string") return [];
    const envelope = parseJson(m.content);
    return isEnvelope(envelope) ? [envelope] : [];
  });
}

export function runPrograms(steps: Step[]): Array<{ step: Step; envelope: SandboxEnvelope }> {
  return steps.flatMap((step) => stepPrograms(step).map((envelope) => ({ step, envelope })));
}
