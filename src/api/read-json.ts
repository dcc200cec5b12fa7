/**
 * Reads a request body as JSON and checks it against one zod schema; every failure is a 400
 * with the JSON path of the offending field.
 */
import type { Context } from "hono";
import type { z } from "zod";
import { ApiError, invalidInput } from "./errors";

export async function readJson<T extends z.ZodType>(c: Context, schema: T, what: string): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, "invalid_json", `The ${what} body is not valid JSON.`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidInput(parsed.error, what);
  return parsed.data;
}
