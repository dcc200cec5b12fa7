/** `switchyard show RUN`: one run — its status, chain, steps, tokens, times, error and output. */
import type { Command } from "commander";
import type { RunView } from "../../src/engine/records";
import { answerText } from "../answer";
import { contextOf } from "../context";
import { duration, print, printField as field, printJson, stdoutColors, timestamp } from "../output";
import { getRun } from "../run-events";

export function registerShow(program: Command): void {
  program
    .command("show")
    .description("one run")
    .argument("<run>", "the run id")
    .action(async (runId: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const run = await getRun(context.client, runId);
      if (context.json) return printJson(run);
      printRun(run);
    });
}

function printRun(run: RunView): void {
  field("run", run.id);
  field("chain", `${run.chain_id} v${run.chain_version}`);
  if (run.forked_from) field("forked", `from run ${run.forked_from.run_id} at step ${run.forked_from.step}`);
  field("status", run.status + (run.current_task ? ` (at ${run.current_task})` : ""));
  field("steps", run.step_count);
  field("tokens", `${run.usage.total_tokens} (${run.usage.prompt_tokens} prompt, ${run.usage.completion_tokens} completion)`);
  field("created", `${timestamp(run.created_at)} UTC`);
  if (run.started_at && run.finished_at) field("took", duration(run.finished_at - run.started_at));
  if (run.error) field("error", stdoutColors.red(`${run.error.message} (${run.error.type}${run.error.task_id ? `, task ${run.error.task_id}` : ""})`));
  for (const approval of run.pending_approvals ?? []) field("waiting", `${approval.tool} (call ${approval.call_id})`);
  if (run.output !== null && run.output !== undefined) print(`${stdoutColors.dim("output")}\n${answerText(run.output)}`);
}
