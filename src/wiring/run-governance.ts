/**
 * The contract gate for a governed run's sandboxed code: each tool call the code makes is
 * decided by the run's own object (which reads the entity's state through the run's tools and
 * records the decision under the step running the code), over RPC, before the capability host
 * calls the tool. So code gets the same gate, and leaves the same record, as the run's steps.
 */
import { contractGate } from "../contract/gate";
import type { Env } from "../env";
import { runStub } from "../run/stub";
import type { CallGate } from "../tools/types";

export function runContractGate(env: Env, runId: string): CallGate {
  const run = runStub(env, runId);
  return contractGate({
    decide: (call) => run.contractDecide(call),
    settle: (decision, result) => run.contractSettle(decision, result),
  });
}
