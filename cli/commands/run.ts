/**
 * `switchyard run [--chain FILE|ID] [--var k=v]… [--steps] [--no-wait] INPUT|-`: start a run,
 * show its progress on stderr as it happens, print its output on stdout (`--json`: the whole
 * run), then with `--steps` its step table. Ctrl-C cancels the run; a second Ctrl-C leaves at
 * once. Exit 1 when the run does not succeed.
 */
import type { Command } from "commander";
import type { RunView, StepRecord } from "../../src/engine/records";
import { answerText } from "../answer";
import { chainSource } from "../chain-source";
import { contextOf, segment, type Context } from "../context";
import { CliError } from "../errors";
import { print, printError, printJson, stderrColors } from "../output";
import { RunProgress } from "../progress";
import { endedRun, runEvents } from "../run-events";
import { collect, inputText, parseVars } from "../run-request";
import { fetchSteps, printSteps } from "./steps";

interface RunOptions {
  chain?: string;
  var: string[];
  steps?: boolean;
  wait: boolean;
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("start a run and show it live; the output goes to stdout")
    .argument("<input>", 'the run\'s input text, or "-" to read it from stdin')
    .option("-c, --chain <file|id>", "a chain file (JSON or JSONC, sent inline) or a chain id; default: the config's default-chain, else default-chain")
    .option("--var <key=value>", "a run var (repeatable)", collect, [])
    .option("--steps", "print the step table after the output")
    .option("--no-wait", "print the run id and leave at once")
    .action(async (input: string, options: RunOptions, command: Command) => {
      const context = contextOf(command);
      const target = chainSource(options.chain ?? context.settings["default-chain"].value!);
      const body = { ...("file" in target ? { chain: target.chain } : target), input: await inputText(input), vars: parseVars(options.var) };
      const started = await context.client.json<{ id: string; status: string }>("POST", "/runs", body);
      if (!options.wait) return context.json ? printJson(started) : print(started.id);
      const run = await watch(context, started.id);
      const steps = options.steps ? await fetchSteps(context, run.id) : undefined;
      report(context, run, steps);
    });
}

/** Follows the run to its end, cancelling it on the first Ctrl-C. */
async function watch(context: Context, runId: string): Promise<RunView> {
  const progress = new RunProgress(process.stderr, runId);
  let interrupted = false;
  const onInterrupt = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    progress.stop();
    printError(stderrColors.yellow(`cancelling run ${runId} (Ctrl-C again to leave without waiting)`));
    context.client.json("POST", `/runs/${segment(runId)}/cancel`).catch(() => undefined);
  };
  process.on("SIGINT", onInterrupt);
  try {
    for await (const frame of runEvents(context.client, runId, new AbortController().signal)) progress.show(frame);
    return await endedRun(context.client, runId);
  } finally {
    progress.stop();
    process.off("SIGINT", onInterrupt);
  }
}

function report(context: Context, run: RunView, steps: StepRecord[] | undefined): void {
  if (context.json) printJson(steps ? { ...run, steps } : run);
  else if (run.status === "succeeded") print(answerText(run.output));
  if (steps && !context.json) printSteps(steps);
  if (run.status !== "succeeded") {
    const where = run.error?.task_id ? ` in task "${run.error.task_id}"` : "";
    throw new CliError(`run ${run.id} ${run.status}${where}: ${run.error?.message ?? "no error recorded"}${run.error ? ` (${run.error.type})` : ""}`);
  }
}
