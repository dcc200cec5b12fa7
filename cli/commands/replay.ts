/**
 * `switchyard replay RUN [--chain FILE]`: runs the chain — the version the run used, or the
 * chain file — against the run's recorded effects on the runtime, calling no provider or tool,
 * and prints whether it behaves the same and, when it does not, the first step that differs:
 * its task, what differs and how. Exit 0 when the run replays the same, 1 when it diverges or
 * cannot be replayed (the reason is printed).
 */
import type { Command } from "commander";
import type { Divergence, ReplayReport } from "../../src/engine/replay";
import { readChainFile } from "../chain-source";
import { contextOf, segment } from "../context";
import { CliError } from "../errors";
import { printField as field, printJson, stdoutColors, truncate } from "../output";

export function registerReplay(program: Command): void {
  program
    .command("replay")
    .description("replay a run against its recorded effects, calling nothing, and show where it would diverge")
    .argument("<run>", "the run id")
    .option("-c, --chain <file>", "a chain file (JSON or JSONC) to replay instead of the version the run used")
    .action(async (runId: string, options: { chain?: string }, command: Command) => {
      const context = contextOf(command);
      const body = options.chain === undefined ? {} : { chain: readChainFile(options.chain) };
      const report = await context.client.json<ReplayReport & { run_id: string }>("POST", `/runs/${segment(runId)}/replay`, body);
      if (context.json) printJson(report);
      else printReport(report);
      if (report.diverged) throw new CliError(`run ${runId} diverges from its record at step ${report.first_divergence?.step}.`);
      if (!report.replayable) throw new CliError(`run ${runId} cannot be replayed.`);
    });
}

function printReport(report: ReplayReport & { run_id: string }): void {
  field("run", report.run_id);
  if (report.diverged && report.first_divergence) return printDivergence(report.first_divergence);
  if (!report.replayable) return field("result", stdoutColors.yellow(`not replayable: ${report.reason ?? "no reason given"}`));
  field("result", stdoutColors.green(`same (${report.steps.length} step${report.steps.length === 1 ? "" : "s"} replayed)`));
}

function printDivergence(divergence: Divergence): void {
  field("result", stdoutColors.red("diverged"));
  field("step", divergence.step);
  field("task", divergence.task_id);
  field("reason", divergence.reason);
  field("message", divergence.message);
  field("recorded", truncate(JSON.stringify(divergence.recorded) ?? "", 100));
  field("replayed", truncate(JSON.stringify(divergence.replayed) ?? "", 100));
}
