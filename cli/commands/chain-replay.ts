/**
 * `switchyard chains replay ID [--chain FILE] [--limit N] [--since TIME] [--run RUN]…`: the
 * regression test for a chain edit. The runtime replays the chain's current definition — or the
 * chain file, a draft not yet pushed — against the chain's recent runs (or the runs named), each
 * against its own recorded effects, calling nothing; this prints one row per run and the counts.
 * Exit 1 when any run would diverge. Runs that cannot be replayed (recorded before effects were,
 * say) are listed with the reason and leave the exit code alone.
 */
import type { Command } from "commander";
import type { Divergence } from "../../src/engine/replay";
import { readChainFile } from "../chain-source";
import { contextOf, segment } from "../context";
import { CliError, usageError } from "../errors";
import { print, printJson, printTable, truncate } from "../output";
import { collect } from "../run-request";

interface RunReplay {
  run_id: string;
  replayable: boolean;
  reason?: string;
  diverged: boolean;
  first_divergence: Divergence | null;
  steps_replayed: number;
}

interface ChainReplay {
  chain_id: string;
  runs: number;
  same: number;
  diverged: number;
  not_replayable: number;
  results: RunReplay[];
}

interface ChainReplayOptions {
  chain?: string;
  limit?: string;
  since?: string;
  run: string[];
}

export function registerChainReplay(chains: Command): void {
  chains
    .command("replay")
    .description("replay a chain (or a draft of it) against its recent runs, calling nothing, and show which would diverge")
    .argument("<id>", "the chain id")
    .option("-c, --chain <file>", "a draft of the chain (JSON or JSONC) to replay instead of its current definition")
    .option("--limit <n>", "how many of the newest runs (1-100; the runtime's default is 20)")
    .option("--since <time>", "only runs created since then (epoch ms or ISO 8601)")
    .option("--run <run>", "replay this run (repeatable; instead of the newest)", collect, [])
    .action(async (id: string, options: ChainReplayOptions, command: Command) => {
      const context = contextOf(command);
      const body = {
        ...(options.chain !== undefined ? { chain: readChainFile(options.chain) } : {}),
        ...(options.limit !== undefined ? { limit: wholeNumber("--limit", options.limit) } : {}),
        ...(options.since !== undefined ? { since: options.since } : {}),
        ...(options.run.length > 0 ? { runs: options.run } : {}),
      };
      const report = await context.client.json<ChainReplay>("POST", `/chains/${segment(id)}/replay`, body);
      if (context.json) printJson(report);
      else printReport(report);
      if (report.diverged > 0) throw new CliError(`${report.diverged} of ${report.runs} run${report.runs === 1 ? "" : "s"} of ${id} would diverge.`);
    });
}

function printReport(report: ChainReplay): void {
  printTable(
    ["run", "result", "step", "task", "reason", "message"],
    report.results.map((r) => {
      const d = r.first_divergence;
      if (r.diverged && d) return [r.run_id, "diverged", d.step, d.task_id, d.reason, truncate(d.message, 70)];
      if (!r.replayable) return [r.run_id, "not replayable", "", "", "", truncate(r.reason ?? "", 70)];
      return [r.run_id, "same", "", "", "", `${r.steps_replayed} steps replayed`];
    }),
  );
  print(`${report.runs} run${report.runs === 1 ? "" : "s"}: ${report.same} same, ${report.diverged} diverged, ${report.not_replayable} not replayable`);
}

function wholeNumber(option: string, value: string): number {
  if (!/^\d+$/.test(value)) throw usageError(`${option} takes a whole number, not "${value}".`);
  return Number(value);
}
