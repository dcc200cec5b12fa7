/**
 * A run's approvals, kept in its own SQLite: a step whose tool calls need a human's approval
 * does not start; its requests are stored and the run waits. Each decision is recorded, and once
 * none is pending the run resumes. When the step finally runs, the gate answers each call from
 * the decision stored under the call's idempotency key.
 */
import type { Approval, ApprovalDecision, StartRun } from "../engine/records";
import type { Task } from "../engine/chain";
import type { RunState } from "../engine/run-state";
import { approvalRequests } from "../tools/approvals";
import type { ApprovalGate, ToolEntry } from "../tools/types";
import type { RunEvent, RunStore, RunTimes } from "./store";

type NewEvent = { type: string; data: unknown };

/** Whether the task's step calls tools, so its calls may need approval (others never wait). */
export function callsTools(task: Task): boolean {
  return task.handler === "execute_tool_calls" || task.handler === "hook";
}

/**
 * Stores approval requests for the calls of the step about to run that need one and have none
 * yet. When any is pending the run is saved as `waiting` and the stored events are returned;
 * undefined means the step may run.
 */
export function pauseForApprovals(
  store: RunStore,
  step: { start: StartRun; state: RunState; task: Task; times: RunTimes; input: unknown; entries: ToolEntry[]; now: number },
): RunEvent[] | undefined {
  const { start, state, task, times, now } = step;
  if (!callsTools(task)) return undefined;
  const requests = approvalRequests(task, step.input, state, step.entries);
  if (requests.length === 0) return undefined;
  const fresh: Approval[] = requests.filter((r) => !store.approval(r.key)).map((r) => ({ ...r, status: "pending", reason: null, requested_at: now, decided_at: null }));
  const pending = [...store.approvals("pending").filter((a) => requests.some((r) => r.key === a.key)), ...fresh];
  if (pending.length === 0) return undefined;
  const events: NewEvent[] = [
    ...fresh.map((a) => ({ type: "approval.requested", data: { call_id: a.call_id, task_id: a.task_id, tool: a.tool, arguments: a.arguments } })),
    { type: "run.waiting", data: { id: start.run_id, pending: pending.map((a) => a.call_id) } },
  ];
  return store.pauseForApprovals(fresh, { ...state, status: "waiting" }, { ...times, waiting_since: now }, events);
}

export type Decided = { ok: true; approval: Approval; resumed: boolean; events: RunEvent[] } | { ok: false; status: 404 | 409; message: string };

/** Records a decision on a pending call; the run is running again once no call is pending. */
export function decideApproval(store: RunStore, callId: string, decision: ApprovalDecision, reason: string | null, now: number): Decided {
  const start = store.start();
  const state = store.state();
  if (!start || !state) return { ok: false, status: 404, message: "No such run." };
  const requests = store.approvalsForCall(callId);
  const pending = requests.find((a) => a.status === "pending");
  if (!pending) {
    const decided = requests.at(-1);
    if (!decided) return { ok: false, status: 404, message: `Run "${start.run_id}" has no approval request for call "${callId}".` };
    return { ok: false, status: 409, message: `The call "${callId}" was already ${decided.status}.` };
  }
  if (state.status !== "waiting") return { ok: false, status: 409, message: `Run "${start.run_id}" is ${state.status}, not waiting for approvals.` };

  const approval: Approval = { ...pending, status: decision === "approve" ? "approved" : "denied", reason, decided_at: now };
  const resumed = store.approvals("pending").every((a) => a.key === approval.key);
  const events: NewEvent[] = [{ type: "approval.decided", data: { call_id: callId, tool: approval.tool, status: approval.status, reason } }];
  let next = state;
  let times = store.times();
  if (resumed) {
    next = { ...state, status: "running" };
    times = { ...times, waiting_since: null, waited_ms: (times.waited_ms ?? 0) + (now - (times.waiting_since ?? now)) };
    events.push({ type: "run.resumed", data: { id: start.run_id } });
  }
  return { ok: true, approval, resumed, events: store.decideApproval(approval, next, times, events) };
}

/** Calls that need approval run only once approved; a denied one answers the model with the denial. */
export function approvalGate(store: RunStore): ApprovalGate {
  return (entry, ctx) => {
    const approval = store.approval(ctx.idempotencyKey);
    if (approval?.status === "approved") return { run: true };
    if (approval?.status === "denied") {
      const because = approval.reason ? `: ${approval.reason}` : ".";
      return { run: false, result: `The call to "${entry.spec.name}" was denied by a human reviewer${because} It was not executed; do not retry it, carry on without it.` };
    }
    return { run: false, result: { error: `Tool "${entry.spec.name}" needs a human's approval, and this call has none.` } };
  };
}
