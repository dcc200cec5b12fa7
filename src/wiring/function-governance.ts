/**
 * The contract gate for a function whose grant names a contract: its code's tool calls are
 * decided here, host-side, as its trigger's role, against the contract as it was when the
 * execution started (carried in the capability props). A function has no run object to keep the
 * record, so the decisions of one execution — and the successes its later rules see as
 * `history` — are kept in D1 under the execution, and returned with the function's outcome.
 */
import { contractGate, contractUnavailable, decideCall, isFailure } from "../contract/gate";
import { loadContract, type Loaded } from "../contract/load";
import { ADMIN_ROLE } from "../contract/types";
import { db } from "../db/client";
import { contractCallHistory, recordContractCall, settleContractCall } from "../db/contract-calls";
import { truncateForLog } from "../engine/truncate";
import type { Env } from "../env";
import type { CapabilityProps } from "../sandbox/capabilities";
import type { CallGate } from "../tools/types";

/** Loaded contracts by id and version: a function firing on every event checks and compiles its contract once. */
const LOADED = new Map<string, Loaded>();
const MAX_LOADED = 64;

export function functionContractGate(env: Env, props: CapabilityProps & { contract: NonNullable<CapabilityProps["contract"]> }, maxResultBytes: number): CallGate {
  const d = db(env.DB);
  const execution = executionOf(props);
  const role = props.principal ?? ADMIN_ROLE;
  const loaded = load(props.contract);
  return contractGate({
    async decide(call, read) {
      const decision = loaded.ok
        ? await decideCall(loaded.contract, call, { role, history: await contractCallHistory(d, execution), read, now: Date.now() })
        : contractUnavailable(props.contract, call, role, loaded.error, Date.now());
      return recordContractCall(d, execution, decision, Date.now());
    },
    settle: (decision, result) => settleContractCall(d, decision, !isFailure(result), truncateForLog(result, maxResultBytes)),
  });
}

/** The key a governed function's decisions are kept under: one execution. */
export function executionOf(props: Pick<CapabilityProps, "replay" | "runId">): string {
  return props.replay?.execution ?? props.runId;
}

function load(contract: NonNullable<CapabilityProps["contract"]>): Loaded {
  const key = `${contract.id}@${contract.version}`;
  const cached = LOADED.get(key);
  if (cached) return cached;
  const loaded = loadContract(contract);
  if (LOADED.size >= MAX_LOADED) LOADED.delete(LOADED.keys().next().value!);
  LOADED.set(key, loaded);
  return loaded;
}
