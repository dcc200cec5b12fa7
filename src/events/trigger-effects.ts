/**
 * What firing a trigger does beyond the events layer — start a chain's run, run a stored
 * function in the sandbox — handed in by the wiring layer, as the engine gets its effects. It
 * keeps the events layer below the runs and the sandbox host it sets going.
 */
import type { ContractDecision, RunView, StartRequest } from "../engine/records";
import type { SandboxEnvelope } from "../engine/effects";
import type { ReplayKey } from "../sandbox/capabilities";
import type { DomainEvent, StoredFunction } from "./types";

export interface TriggerEffects {
  /** Starts a run; idempotent per `run_id`. */
  startRun(request: StartRequest): Promise<RunView>;
  /**
   * Runs a stored function with the event as its argument, acting as `role`; never throws for
   * the code's failures. A function its grant puts under a contract answers with the gate's
   * decisions about its calls too.
   */
  runFunction(fn: StoredFunction, event: DomainEvent, replay: ReplayKey, role: string): Promise<SandboxEnvelope & { contract_decisions?: ContractDecision[] }>;
}
