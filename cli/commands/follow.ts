/**
 * `switchyard follow RUN`: a run's events as they happen, until it ends (the whole stream from
 * its start, so a finished run replays). `--json` prints one event per line. Exit 1 when the run
 * does not succeed.
 */
import type { Command } from "commander";
import { contextOf } from "../context";
import { CliError } from "../errors";
import { print, stdoutColors } from "../output";
import { RunProgress } from "../progress";
import { endedRun, runEvents } from "../run-events";

export function registerFollow(program: Command): void {
  program
    .command("follow")
    .description("a run's events, live until it ends")
    .argument("<run>", "the run id")
    .action(async (runId: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const progress = new RunProgress(process.stdout, runId);
      for await (const frame of runEvents(context.client, runId, new AbortController().signal)) {
        if (context.json) print(JSON.stringify(frame));
        else progress.show(frame);
      }
      progress.stop();
      const run = await endedRun(context.client, runId);
      if (!context.json) print(`run ${run.id} ${run.status === "succeeded" ? stdoutColors.green(run.status) : stdoutColors.red(run.status)}`);
      if (run.status !== "succeeded") throw new CliError(`run ${run.id} ${run.status}: ${run.error?.message ?? "no error recorded"}`);
    });
}
