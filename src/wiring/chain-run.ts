/**
 * The ChainRun Durable Object as workerd instantiates it: the run's state machine
 * (run/chain-run.ts) with its tools and effects built from the Worker's bindings.
 */
import { ChainRunObject, type RunWiring, type RunWiringRequest } from "../run/chain-run";
import { createEffects } from "./run-effects";
import { toolsForRun } from "./run-tools";

export class ChainRun extends ChainRunObject {
  protected wire({ runId, eventHops, approvals, workspace, sandboxTurn, principal, gate }: RunWiringRequest): RunWiring {
    const tools = toolsForRun(this.env, this.config, runId, { approvals, workspace, turn: sandboxTurn, gate, principal });
    return { tools, effects: createEffects(this.env, this.config, runId, tools, { eventHops, turn: sandboxTurn, principal, governed: gate !== undefined }) };
  }
}
