/**
 * `switchyard fork RUN --from N [--var k=v]… [--input TEXT|-] [--chain FILE] [--patch FILE]`: a
 * new run that starts with RUN's state before step N — copied from its record, not executed
 * again — and runs live from there, with the vars merged in, the input replaced, another chain,
 * or the output of step N-1 replaced by the patch file's JSON. Prints the new run's id
 * (`switchyard follow ID` watches it).
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { ForkedFrom } from "../../src/engine/records";
import { readChainFile } from "../chain-source";
import { contextOf, segment } from "../context";
import { CliError, usageError } from "../errors";
import { print, printJson } from "../output";
import { collect, inputText, parseVars } from "../run-request";

interface ForkOptions {
  from: string;
  var: string[];
  input?: string;
  chain?: string;
  patch?: string;
}

export function registerFork(program: Command): void {
  program
    .command("fork")
    .description("start a new run from a run's state before one of its steps, changing vars, input, chain or the step before")
    .argument("<run>", "the run id")
    .requiredOption("--from <step>", "the index of the first step to run again (see `switchyard steps RUN`)")
    .option("--var <key=value>", "a var to change (repeatable; merged into the run's vars)", collect, [])
    .option("--input <text>", 'a new run input, or "-" to read it from stdin')
    .option("-c, --chain <file>", "a chain file (JSON or JSONC) to run from there instead")
    .option("--patch <file>", "a JSON file whose value replaces the output of the step before --from")
    .action(async (runId: string, options: ForkOptions, command: Command) => {
      const context = contextOf(command);
      if (!/^\d+$/.test(options.from)) throw usageError(`--from takes a step index (0 or more), not "${options.from}".`);
      const body = {
        from_step: Number(options.from),
        ...(options.var.length > 0 ? { vars: parseVars(options.var) } : {}),
        ...(options.input !== undefined ? { input: await inputText(options.input) } : {}),
        ...(options.chain !== undefined ? { chain: readChainFile(options.chain) } : {}),
        ...(options.patch !== undefined ? { patch: readPatch(options.patch) } : {}),
      };
      const fork = await context.client.json<{ id: string; status: string; forked_from: ForkedFrom }>("POST", `/runs/${segment(runId)}/fork`, body);
      if (context.json) printJson(fork);
      else print(fork.id);
    });
}

function readPatch(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new CliError(`There is no patch file ${file}.`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}
