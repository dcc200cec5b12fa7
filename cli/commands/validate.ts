/**
 * `switchyard validate FILE…`: checks chain files offline with the engine's own validator — the
 * one behind `POST /chains/validate` — and prints every problem at its `file:line:column` (JSONC
 * comments allowed), warnings marked as such. Exit 1 when any file has an error, so it serves as
 * a pre-commit hook or a CI step. Tool names are not checked: only a runtime knows its tools.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { checkChain } from "../../src/engine/validate";
import { CliError } from "../errors";
import { print, printJson, stdoutColors } from "../output";
import { countErrors, locateProblems, problemLine, type LocatedProblem } from "../problems";

interface FileReport {
  file: string;
  ok: boolean;
  problems: LocatedProblem[];
}

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check chain files offline, with the engine's own validator")
    .argument("<files...>", "chain files (JSON or JSONC)")
    .action((files: string[], _options: unknown, command: Command) => {
      const reports = files.map(validateFile);
      if (command.optsWithGlobals<{ json?: boolean }>().json) printJson(reports);
      else reports.forEach(printReport);
      const failed = reports.filter((report) => !report.ok).length;
      if (failed > 0) throw new CliError(`${failed} of ${files.length} file${files.length === 1 ? "" : "s"} ${failed === 1 ? "is" : "are"} not valid.`);
    });
}

function validateFile(file: string): FileReport {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { file, ok: false, problems: [{ severity: "error", path: "", message: `cannot read the file: ${reason}`, line: 1, column: 1 }] };
  }
  const report = checkChain(text);
  const problems = locateProblems(text, report.problems);
  return { file, ok: report.ok && countErrors(problems) === 0, problems };
}

function printReport({ file, ok, problems }: FileReport): void {
  for (const problem of problems) print(problemLine(file, problem, stdoutColors));
  const errors = countErrors(problems);
  const warnings = problems.length - errors;
  const counts = [errors ? `${errors} error${errors === 1 ? "" : "s"}` : "", warnings ? `${warnings} warning${warnings === 1 ? "" : "s"}` : ""].filter(Boolean).join(", ");
  print(ok ? `${stdoutColors.green("✓")} ${file}${counts ? ` (${counts})` : ""}` : `${stdoutColors.red("✗")} ${file}: ${counts}`);
}
