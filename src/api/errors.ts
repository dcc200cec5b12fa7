/**
 * API errors as values: one class carries status, type, message and the JSON path of the
 * offending input; `renderError` turns any thrown value into the `{ error: {…} }` body, whose
 * schema (`errorBody`) is also the one /openapi.json gives for every error.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { EngineError, type Problem } from "../engine/errors";

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly type: string,
    message: string,
    readonly details: { path?: string; problems?: Problem[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const problemSchema = z
  .object({
    severity: z.enum(["error", "warning"]),
    path: z.string().meta({ description: "JSON path of the culprit, e.g. `tasks[2].transition.branches[0].goto`" }),
    message: z.string(),
  })
  .meta({ id: "Problem" }) satisfies z.ZodType<Problem>;

export const errorBody = z
  .object({
    error: z.object({
      type: z.string().meta({ description: "What kind of error, for code to branch on: `invalid_request`, `not_found`, `conflict`, …" }),
      message: z.string(),
      path: z.string().optional().meta({ description: "JSON path of the offending input" }),
      problems: z.array(problemSchema).optional().meta({ description: "Every problem found, when there are several" }),
    }),
  })
  .meta({ id: "Error" });

export type ErrorBody = z.infer<typeof errorBody>;

/** Turns a zod failure into one 400 naming every bad field by its JSON path. */
export function invalidInput(error: z.ZodError, what: string): ApiError {
  const problems: Problem[] = error.issues.map((issue) => ({
    severity: "error",
    path: formatPath(issue.path),
    message: issue.message,
  }));
  const first = problems[0];
  const summary = first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "invalid input";
  return new ApiError(400, "invalid_request", `Invalid ${what}: ${summary}`, { path: first?.path, problems });
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === "number") return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, "");
}

/**
 * Any thrown value as an ApiError: API errors as they are; a broken server configuration with
 * its message (the operator must see which setting to fix); anything else as a logged 500.
 */
export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof EngineError && err.type === "config_invalid") return new ApiError(500, "config_invalid", err.message);
  if (err instanceof EngineError && err.type === "contract_missing") return new ApiError(400, "contract_missing", err.message, { path: err.options.path });
  console.error("unhandled error", err);
  return new ApiError(500, "internal_error", "Internal error; the request changed nothing that was not already recorded.");
}

export function renderError(c: Context, thrown: unknown): Response {
  const err = asApiError(thrown);
  const body: ErrorBody = { error: { type: err.type, message: err.message, path: err.details.path, problems: err.details.problems } };
  return c.json(body, err.status, err.details.headers);
}
