/**
 * `switchyard approve RUN CALL [--reason …]` and `switchyard deny RUN CALL [--reason …]`:
 * decide a tool call that waits; a denial reaches the model with the reason.
 */
import type { Command } from "commander";
import type { Approval, RunView } from "../../src/engine/records";
import { contextOf, segment } from "../context";
import { print, printJson } from "../output";

export function registerDecisions(program: Command): void {
  for (const decision of ["approve", "deny"] as const) {
    program
      .command(decision)
      .description(`${decision} a tool call that waits for a decision`)
      .argument("<run>", "the run id")
      .argument("<call>", "the call id (see `switchyard approvals RUN`)")
      .option("--reason <text>", "why; a denial's reason is what the model reads")
      .action(async (runId: string, callId: string, options: { reason?: string }, command: Command) => {
        const context = contextOf(command);
        const body = { decision, ...(options.reason !== undefined ? { reason: options.reason } : {}) };
        const outcome = await context.client.json<{ approval: Approval; run: RunView }>("POST", `/runs/${segment(runId)}/approvals/${segment(callId)}`, body);
        if (context.json) printJson(outcome);
        else print(`${outcome.approval.tool} ${outcome.approval.status}; run ${outcome.run.id} is ${outcome.run.status}`);
      });
  }
}
