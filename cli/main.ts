/**
 * `switchyard`, the command line of a Switchyard runtime: a thin client of its public API (the
 * same routes the README shows) plus the engine's own chain validator, which needs no server.
 * Commands live one per file in commands/; every one answers in tables for people and in JSON
 * with `--json`. Failures end here, as a message (the server's, with its JSON path; never a stack
 * trace) and an exit code scripts can rely on (errors.ts).
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { registerApprovals } from "./commands/approvals";
import { registerCancel } from "./commands/cancel";
import { registerChains } from "./commands/chains";
import { registerChat } from "./commands/chat";
import { registerConfig } from "./commands/config";
import { registerDecisions } from "./commands/decide";
import { registerFollow } from "./commands/follow";
import { registerFork } from "./commands/fork";
import { registerListings } from "./commands/listings";
import { registerReplay } from "./commands/replay";
import { registerRun } from "./commands/run";
import { registerRuns } from "./commands/runs";
import { registerShow } from "./commands/show";
import { registerSteps } from "./commands/steps";
import { registerValidate } from "./commands/validate";
import { ApiFailure, CliError, EXIT, Unreachable } from "./errors";
import { printError, stderrColors } from "./output";
import { DEFAULT_URL } from "./settings";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

const COMMANDS = [
  registerRun,
  registerChat,
  registerValidate,
  registerChains,
  registerRuns,
  registerShow,
  registerSteps,
  registerFollow,
  registerCancel,
  registerFork,
  registerReplay,
  registerApprovals,
  registerDecisions,
  registerListings,
  registerConfig,
];

const program = new Command("switchyard")
  .description("Drive a Switchyard runtime: run chains, chat, validate chain files, inspect, fork and replay runs.")
  .version(version)
  .option("--url <url>", `the runtime's URL (env SWITCHYARD_URL, config url; default ${DEFAULT_URL})`)
  .option("--key <key>", "an API key of the runtime (env SWITCHYARD_API_KEY, config key)")
  .option("--json", "print JSON for scripts instead of tables")
  .showHelpAfterError("(add --help for usage)")
  .exitOverride();

for (const register of COMMANDS) register(program);
for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = exitCode(err);
}

function exitCode(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander has printed the help or the usage mistake already.
    return err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help" ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof Unreachable) {
    printError(stderrColors.red(err.message));
    return EXIT.unreachable;
  }
  if (err instanceof ApiFailure) {
    printError(describeFailure(err));
    return EXIT.failed;
  }
  if (err instanceof CliError) {
    printError(stderrColors.red(err.message));
    return err.exitCode;
  }
  printError(stderrColors.red(`error: ${err instanceof Error ? err.message : String(err)}`));
  return EXIT.failed;
}

function describeFailure(err: ApiFailure): string {
  const lines = [stderrColors.red(`error: ${err.message}`) + (err.path ? stderrColors.dim(` (at ${err.path})`) : "")];
  for (const problem of err.problems) lines.push(`  ${problem.severity}: ${problem.path ? `${problem.path}: ` : ""}${problem.message}`);
  if (err.status === 401) lines.push("Give the runtime's API key with --key, SWITCHYARD_API_KEY or `switchyard config set key <key>`.");
  return lines.join("\n");
}
