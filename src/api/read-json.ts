/**
 * Reads a request body as JSON and checks it against one zod schema; every failure is a 400
 * with the JSON path of the offending field. The text is read within the bounds of untrusted
 * JSON (engine/json-text.ts): no deeper than it may nest, no `__proto__` key.
 */
import type { Context } from "hono";
import type { z } from "zod";
import { parseJsonText } from "../engine/json-text";
import { ApiError, formatPath, invalidInput } from "./errors";

export async function readJson<T extends z.ZodType>(c: Context, schema: T, what: string): Promise<z.infer<T>> {
  const result = schema.safeParse(jsonBody(await c.req.text(), what));
  if (!result.success) throw invalidInput(result.error, what);
  return result.data;
}

/** A body's JSON value, or the 400 that says what is wrong with it. */
export function jsonBody(text: string, what: string): unknown {
  const parsed = parseJsonText(text);
  if (parsed.ok) return parsed.value;
  if (parsed.type === "invalid_json") throw new ApiError(400, "invalid_json", `The ${what} body is not valid JSON.`);
  const path = formatPath(parsed.path);
  throw new ApiError(400, "invalid_request", `Invalid ${what}: ${parsed.message}${path ? ` at ${path}` : ""}.`, path ? { path } : {});
}
