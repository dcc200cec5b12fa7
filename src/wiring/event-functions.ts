/**
 * Running a stored JS function for an event: the same normalisation and sandbox as a chain's
 * code mode (a fresh Worker Loader isolate, the capability globals, the egress gate), with the
 * function's own grant. The function — a default export, a lone function or `main` — is called
 * with the event. Its capability props carry the hop count of what it sends (one more than the
 * event's), so functions sending each other's trigger types stop at the hop limit.
 *
 * A function whose grant names a domain contract has every tool call decided by the contract's
 * gate first, as its trigger's role (see function-governance.ts); the decisions come back with
 * its outcome. The normalised code is cached per isolate by content hash: a function that fires
 * on every event is parsed once, not per event.
 */
import { readConfig } from "../config";
import type { SandboxEnvelope } from "../engine/effects";
import type { Env } from "../env";
import type { CapabilityProps, ReplayKey } from "../sandbox/capabilities";
import { prepareCode, runSandbox, type PreparedCode } from "../sandbox/executor";
import { inTurn } from "../sandbox/lane";
import { cascadeRoot } from "../events/cascade";
import { resolveLimits } from "../sandbox/limits";
import type { DomainEvent, StoredFunction } from "../events/types";
import { resolveContract } from "../contract/resolve";
import { contractCallsOf } from "../db/contract-calls";
import { db } from "../db/client";
import type { ContractDecision } from "../engine/records";
import { executionOf } from "./function-governance";
import { isolateDeps } from "./isolate-deps";
import { toolsForRun } from "./run-tools";

/** Stored functions are few; the bound only keeps a long-lived isolate from growing without end. */
const MAX_CACHED = 256;
const compiled = new Map<string, PreparedCode>();

/** Prepared as for a call with arguments, so the entry function receives the event. */
const CALLED_WITH_EVENT = { args: [null] };

function compileFunction(code: string, hash: string): PreparedCode {
  const cached = compiled.get(hash);
  if (cached) return cached;
  const prepared = prepareCode(code, CALLED_WITH_EVENT);
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
  compiled.set(hash, prepared);
  return prepared;
}

/** Why the code cannot run (a syntax error, an import), checked once when it is saved. */
export function functionCodeProblem(code: string): string | undefined {
  const prepared = prepareCode(code, CALLED_WITH_EVENT);
  return prepared.ok ? undefined : prepared.error;
}

export async function runFunction(env: Env, fn: StoredFunction, event: DomainEvent, replay: ReplayKey, role: string): Promise<SandboxEnvelope & { contract_decisions?: ContractDecision[] }> {
  const limits = resolveLimits(fn.grant.limits, "limits");
  if (!limits.ok) return { ok: false, result: null, error: limits.error, logs: [], calls: [], code: fn.code, duration_ms: 0 };
  const contract = fn.grant.contract === undefined ? undefined : await resolveContract(env, fn.grant.contract);
  if (fn.grant.contract !== undefined && !contract) {
    return { ok: false, result: null, error: `function "${fn.name}" is governed by contract "${fn.grant.contract}", which is not registered or bundled`, logs: [], calls: [], code: fn.code, duration_ms: 0 };
  }
  const runId = `function:${fn.name}:${event.id}`;
  const props: CapabilityProps = {
    runId,
    taskId: fn.name,
    tools: fn.grant.tools,
    ...(fn.grant.egress_allow ? { egressAllow: fn.grant.egress_allow } : {}),
    limits: limits.limits,
    // The hop count of the events this function sends (see the capability host's sendEvent).
    hops: event.metadata.hops + 1,
    eventRoot: cascadeRoot(event),
    replay,
    principal: role,
    ...(contract ? { contract: { id: contract.contract.id, version: contract.version, document: contract.contract } } : {}),
  };
  const granted = await toolsForRun(env, readConfig(env), runId).list(fn.grant.tools);
  // Always beside others in the lane: a function is not a run, and a crash it causes is bounded by the queue's retries.
  const envelope = await inTurn(undefined, () =>
    runSandbox(isolateDeps(env, props), compileFunction(fn.code, fn.hash), { limits: limits.limits, tools: granted.map((t) => t.name), args: [event] }),
  );
  return contract ? { ...envelope, contract_decisions: await contractCallsOf(db(env.DB), executionOf(props)) } : envelope;
}
