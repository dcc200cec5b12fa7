/**
 * `switchyard steps RUN [--full]`: a run's steps as a table — task, handler, eval, where it went,
 * duration, attempt, tokens, error — or with `--full` each step's whole input and output.
 */
import type { Command } from "commander";
import type { StepRecord } from "../../src/engine/records";
import { contextOf, segment, type Context } from "../context";
import { duration, print, printJson, printTable, stdoutColors, truncate, whereTo } from "../output";

export function registerSteps(program: Command): void {
  program
    .command("steps")
    .description("a run's steps")
    .argument("<run>", "the run id")
    .option("--full", "print each step's whole input and output")
    .action(async (runId: string, options: { full?: boolean }, command: Command) => {
      const context = contextOf(command);
      const steps = await fetchSteps(context, runId);
      if (context.json) printJson(steps);
      else if (options.full) printFullSteps(steps);
      else printSteps(steps);
    });
}

export async function fetchSteps(context: Context, runId: string): Promise<StepRecord[]> {
  return (await context.client.json<{ data: StepRecord[] }>("GET", `/runs/${segment(runId)}/steps`)).data;
}

export function printSteps(steps: readonly StepRecord[]): void {
  printTable(
    ["#", "task", "handler", "eval", "goto", "took", "attempt", "tokens", "error"],
    steps.map((step) => [
      step.index,
      step.task_id,
      step.handler,
      truncate(JSON.stringify(step.eval), 24),
      whereTo(step.goto, step.error !== null),
      duration(step.duration_ms),
      step.attempt,
      step.usage?.total_tokens ?? "",
      step.error ? truncate(step.error.message, 60) : "",
    ]),
  );
}

function printFullSteps(steps: readonly StepRecord[]): void {
  for (const step of steps) {
    print(stdoutColors.bold(`#${step.index} ${step.task_id} (${step.handler}) eval ${JSON.stringify(step.eval)} → ${whereTo(step.goto, step.error !== null) || "(failed)"}, ${duration(step.duration_ms)}`));
    if (step.error) print(stdoutColors.red(`error: ${step.error.message} (${step.error.type})`));
    print(`${stdoutColors.dim("input:")} ${JSON.stringify(step.input, null, 2)}`);
    print(`${stdoutColors.dim("output:")} ${JSON.stringify(step.output, null, 2)}\n`);
  }
}
