/**
 * How the CLI fails, as values with the exit code scripts rely on: 1 for a run that failed or
 * input that is invalid (locally or by the server's word), 2 for a usage mistake, 3 when the
 * runtime cannot be reached. `main.ts` renders them; nothing else exits the process.
 */
import type { Problem } from "../src/engine/errors";

export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage);
}

/** The server refused a request: its `{error: {type, message, path?, problems?}}`, or OpenAI's `{error: {message, param}}`. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly path?: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = "ApiFailure";
  }
}

/** No answer at all from the runtime's URL. */
export class Unreachable extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`Cannot reach the Switchyard runtime at ${url} (${reason}). Start one with \`npm run dev\`, or point --url or SWITCHYARD_URL at a running one.`);
    this.name = "Unreachable";
  }
}
