/** `switchyard runs [--status S] [--chain ID] [--forked-from RUN] [--limit N]`: recent runs, newest first. */
import type { Command } from "commander";
import { RUN_STATUSES } from "../../src/engine/run-state";
import { contextOf } from "../context";
import { usageError } from "../errors";
import { duration, printJson, printTable, timestamp } from "../output";

interface RunRow {
  id: string;
  chain_id: string;
  status: string;
  step_count: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export function registerRuns(program: Command): void {
  program
    .command("runs")
    .description("recent runs, newest first")
    .option("--status <status>", `only runs in this status (${RUN_STATUSES.join(", ")})`)
    .option("--chain <id>", "only runs of this chain")
    .option("--forked-from <run>", "only the forks of this run")
    .option("--limit <n>", "how many (1-100)", "20")
    .action(async (options: { status?: string; chain?: string; forkedFrom?: string; limit: string }, command: Command) => {
      const context = contextOf(command);
      if (options.status && !(RUN_STATUSES as readonly string[]).includes(options.status)) throw usageError(`--status must be one of ${RUN_STATUSES.join(", ")}.`);
      const query = new URLSearchParams({ limit: options.limit });
      if (options.status) query.set("status", options.status);
      if (options.chain) query.set("chain_id", options.chain);
      if (options.forkedFrom) query.set("forked_from", options.forkedFrom);
      const page = await context.client.json<{ data: RunRow[]; next_cursor: string | null }>("GET", `/runs?${query}`);
      if (context.json) return printJson(page);
      printTable(
        ["id", "chain", "status", "steps", "created (UTC)", "took"],
        page.data.map((run) => [run.id, run.chain_id, run.status, run.step_count, timestamp(run.created_at), run.finished_at && run.started_at ? duration(run.finished_at - run.started_at) : ""]),
      );
    });
}
