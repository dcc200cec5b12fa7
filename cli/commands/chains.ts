/**
 * `switchyard chains list | show ID | push FILE… | rm ID`: the runtime's chain registry. `push`
 * stores each file as a new version of the chain its `id` names (registering it the first time);
 * a chain the runtime refuses has its problems printed at their place in the file. `chains
 * replay` is in chain-replay.ts.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { Problem } from "../../src/engine/errors";
import { parse as parseJsonc } from "jsonc-parser";
import { readChainFile } from "../chain-source";
import { contextOf, segment } from "../context";
import { ApiFailure, CliError } from "../errors";
import { print, printError, printJson, printTable, stderrColors, truncate } from "../output";
import { locateProblems, problemLine } from "../problems";
import { registerChainReplay } from "./chain-replay";

interface ChainView {
  id: string;
  description?: string;
  version: number;
  source: string;
  definition: unknown;
  problems?: Problem[];
}

export function registerChains(program: Command): void {
  const chains = program.command("chains").description("the runtime's chains: list, show, push, rm, replay");
  chains
    .command("list")
    .description("registered chains and the bundled ones")
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command);
      const { data } = await context.client.json<{ data: ChainView[] }>("GET", "/chains");
      if (context.json) return printJson(data);
      printTable(["id", "version", "source", "description"], data.map((c) => [c.id, c.version, c.source, truncate(c.description ?? "", 70)]));
    });
  chains
    .command("show")
    .description("one chain's definition")
    .argument("<id>", "the chain id")
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const chain = await context.client.json<ChainView>("GET", `/chains/${segment(id)}`);
      printJson(context.json ? chain : chain.definition);
    });
  chains
    .command("push")
    .description("store chain files as new versions (registering new ones)")
    .argument("<files...>", "chain files (JSON or JSONC)")
    .action(async (files: string[], _options: unknown, command: Command) => {
      const context = contextOf(command);
      const pushed: ChainView[] = [];
      for (const file of files) {
        const text = readFileSync(file, "utf8");
        const id = chainId(file, text);
        try {
          pushed.push(await context.client.json<ChainView>("PUT", `/chains/${segment(id)}`, text));
        } catch (err) {
          if (err instanceof ApiFailure) for (const problem of locateProblems(text, err.problems)) printError(problemLine(file, problem, stderrColors));
          throw err;
        }
        const stored = pushed.at(-1)!;
        for (const problem of locateProblems(text, stored.problems ?? [])) printError(problemLine(file, problem, stderrColors));
        if (!context.json) print(`pushed ${stored.id} v${stored.version} (${file})`);
      }
      if (context.json) printJson(pushed);
    });
  chains
    .command("rm")
    .description("unregister a chain (a bundled one it overrode is served again)")
    .argument("<id>", "the chain id")
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const result = await context.client.json<{ id: string; deleted: boolean }>("DELETE", `/chains/${segment(id)}`);
      if (context.json) printJson(result);
      else print(`removed ${id}`);
    });
  registerChainReplay(chains);
}

/** The id the file's chain claims; a file without one is checked here, so its problems show. */
function chainId(file: string, text: string): string {
  const value: unknown = parseJsonc(text, [], { allowTrailingComma: true });
  const id = typeof value === "object" && value !== null ? (value as { id?: unknown }).id : undefined;
  if (typeof id === "string" && id !== "") return id;
  readChainFile(file);
  throw new CliError(`${file} has no chain id.`);
}
