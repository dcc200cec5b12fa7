/**
 * A governed run's side of the domain contract: which contract governs a task (its own, else the
 * chain's), loaded once from the snapshot the run started with; the gate's decisions about the
 * run's calls, recorded in the run's store under the step that made them (with a
 * `contract.refused` event for each refusal); and the calls that succeeded, which rules see as
 * `history`. Calls from the run's own steps reach it through the tool registry's gate; calls from
 * sandboxed code reach it over RPC (`contractDecide`, `contractSettle`), so every call of the run
 * is decided here, host-side, with the same record.
 */
import { ADMIN_ROLE } from "../contract/types";
import { contractUnavailable, decideCall, isFailure, type DecideContext, type GatedCall, type Governance } from "../contract/gate";
import { loadContract, type Loaded } from "../contract/load";
import { contractText, type ContractText } from "../contract/render";
import type { ContractDecision, StartRun } from "../engine/records";
import { truncateForLog } from "../engine/truncate";
import type { RunEvent, RunStore } from "./store";

export interface RunGovernanceOptions {
  store: RunStore;
  /** The step the run is executing (calls are recorded under it). */
  step: () => number;
  publish: (events: RunEvent[]) => void;
  now: () => number;
  /** Bound of a result kept for `history`. */
  maxResultBytes: number;
}

export class RunGovernance implements Governance {
  private readonly loaded = new Map<string, Loaded>();
  readonly role: string;

  constructor(
    private readonly start: StartRun,
    private readonly options: RunGovernanceOptions,
  ) {
    this.role = start.principal ?? ADMIN_ROLE;
  }

  /** The contract id that governs `taskId`'s calls, if any. */
  contractOf(taskId: string): string | undefined {
    return this.start.chain.tasks.find((t) => t.id === taskId)?.contract ?? this.start.chain.contract;
  }

  /** What `{{contract}}` and `{{tools:typescript}}` show for `taskId`; undefined when no contract governs it. */
  text(taskId: string): ContractText | undefined {
    const loaded = this.load(taskId);
    return loaded?.ok ? contractText(loaded.contract, this.role) : undefined;
  }

  async decide(call: GatedCall, read: DecideContext["read"]): Promise<ContractDecision | undefined> {
    const id = this.contractOf(call.task_id);
    if (id === undefined) return undefined;
    const loaded = this.load(call.task_id)!;
    const decision = loaded.ok
      ? await decideCall(loaded.contract, call, { role: this.role, history: this.options.store.contractHistory(), read, now: this.options.now() })
      : contractUnavailable({ id, version: this.start.contracts?.[id]?.version ?? -1 }, call, this.role, loaded.error, this.options.now());
    const step = this.options.step();
    const recorded = this.options.store.recordDecision(step, decision);
    if (!recorded.allowed) {
      const { seq, task_id, tool, rule, message, role, contract } = recorded;
      this.options.publish([this.options.store.appendEvent("contract.refused", { seq, step, task_id, tool, rule, message, role, contract })]);
    }
    return recorded;
  }

  async settle(decision: ContractDecision, result: unknown): Promise<void> {
    this.options.store.settleDecision(decision, !isFailure(result), truncateForLog(result, this.options.maxResultBytes));
  }

  private load(taskId: string): Loaded | undefined {
    const id = this.contractOf(taskId);
    if (id === undefined) return undefined;
    const cached = this.loaded.get(id);
    if (cached) return cached;
    const snapshot = this.start.contracts?.[id];
    const loaded: Loaded = snapshot ? loadContract(snapshot) : { ok: false, error: `the run has no copy of it (it was not bound when the run started)` };
    this.loaded.set(id, loaded);
    return loaded;
  }
}
