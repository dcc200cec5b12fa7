/**
 * What `--chain` names: a chain file (sent inline, checked here first with the engine's own
 * validator, so a broken file fails before anything reaches the runtime) or the id of a chain
 * the runtime knows. A value is a file when a file exists at it; one that looks like a path
 * (a slash, a .json ending) but names no file is a mistake, not an id.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { parse as parseJsonc } from "jsonc-parser";
import { checkChain } from "../src/engine/validate";
import { isPathLike } from "./config-file";
import { CliError } from "./errors";
import { stderrColors, printError } from "./output";
import { countErrors, locateProblems, problemLine } from "./problems";

export type ChainSource = { chain_id: string } | { chain: unknown; file: string };

export function chainSource(value: string): ChainSource {
  if (!isFile(value) && !isPathLike(value)) return { chain_id: value };
  return { chain: readChainFile(value), file: value };
}

/** The file's chain as a JSON value, after its problems (if any) are printed; throws on an error. */
export function readChainFile(file: string): unknown {
  if (!isFile(file)) throw new CliError(`There is no chain file ${file}.`);
  const text = readFileSync(file, "utf8");
  const report = checkChain(text);
  const problems = locateProblems(text, report.problems);
  for (const problem of problems) printError(problemLine(file, problem, stderrColors));
  const errors = countErrors(problems);
  if (!report.ok || errors > 0) throw new CliError(`${file} is not a valid chain (${errors} error${errors === 1 ? "" : "s"}).`);
  return parseJsonc(text, [], { allowTrailingComma: true });
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
