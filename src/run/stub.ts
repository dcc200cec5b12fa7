/**
 * The Durable Object stub for a run id (one object per run, named by the id). The RPC types
 * workers-types derives erase `unknown`-typed fields (run input/output), so the stub's API is
 * declared here once, at the boundary.
 */
import type { Env } from "../env";
import type { WorkspaceOp } from "../tools/builtins/workspace";
import type { Chain } from "../engine/chain";
import type { Adoption, Approval, ApprovalDecision, ContractDecision, DecideOutcome, RunLineage, RunView, StartRun, StepRecord } from "../engine/records";
import type { GatedCall } from "../contract/gate";
import type { ReplayReport } from "../engine/replay";
import type { RunState } from "../engine/run-state";
import type { ForkPrefix } from "./store";
import type { ForkPoint, ForkSeedResult } from "./time-travel";

export interface RunStub {
  start(start: StartRun): Promise<RunView>;
  startAndWait(start: StartRun, timeoutMs: number): Promise<RunView | undefined>;
  startFollowed(start: StartRun): Promise<{ view: RunView; events: ReadableStream<Uint8Array> }>;
  warm(): Promise<void>;
  view(): Promise<RunView | undefined>;
  steps(): Promise<StepRecord[]>;
  chain(): Promise<Chain | undefined>;
  wait(timeoutMs: number, untilListed?: boolean): Promise<RunView | undefined>;
  cancel(): Promise<RunView | undefined>;
  fetch(request: Request): Promise<Response>;
  approvals(): Promise<Approval[]>;
  decide(callId: string, decision: ApprovalDecision, reason: string | null): Promise<DecideOutcome>;
  workspace(op: WorkspaceOp): Promise<unknown>;
  resync(): Promise<RunView | undefined>;
  startFork(start: StartRun, state: RunState, prefix: ForkPrefix): Promise<RunView>;
  forkSeed(point: ForkPoint): Promise<ForkSeedResult>;
  replay(chain?: Chain): Promise<ReplayReport | undefined>;
  contractDecide(call: GatedCall): Promise<ContractDecision | undefined>;
  contractSettle(decision: ContractDecision, result: unknown): Promise<void>;
  lineage(): Promise<(RunLineage & { run_id: string }) | undefined>;
  adoptDescendant(runId: string): Promise<Adoption>;
}

export function runStub(env: Env, runId: string): RunStub {
  return env.CHAIN_RUN.get(env.CHAIN_RUN.idFromName(runId)) as unknown as RunStub;
}
