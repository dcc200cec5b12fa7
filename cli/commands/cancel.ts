/** `switchyard cancel RUN`: stop a run at its next step boundary, aborting the call in flight. */
import type { Command } from "commander";
import type { RunView } from "../../src/engine/records";
import { contextOf, segment } from "../context";
import { print, printJson } from "../output";

export function registerCancel(program: Command): void {
  program
    .command("cancel")
    .description("cancel a run")
    .argument("<run>", "the run id")
    .action(async (runId: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const run = await context.client.json<RunView>("POST", `/runs/${segment(runId)}/cancel`);
      if (context.json) printJson(run);
      else print(`cancelling run ${run.id} (now ${run.status})`);
    });
}
