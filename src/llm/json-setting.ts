/**
 * Reads a configuration value that holds JSON — a string (a secret, .dev.vars) or the value
 * itself (a JSON var in wrangler.toml) — against a schema. A value that does not parse is kept
 * as an error naming the setting and each bad field by its path, for every use to report.
 */
import { z } from "zod";

export type JsonSetting<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

export function readJsonSetting<T>(name: string, value: unknown, schema: z.ZodType<T>): JsonSetting<T> | undefined {
  if (value === undefined || value === "") return undefined;
  let json = value;
  if (typeof value === "string") {
    try {
      json = JSON.parse(value);
    } catch (err) {
      return { error: `${name} is not valid JSON (${err instanceof Error ? err.message : String(err)}).` };
    }
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { value: parsed.data };
  const problems = parsed.error.issues.map((issue) => `${name}${z.core.toDotPath(issue.path)}: ${issue.message}`);
  return { error: `${name} is invalid: ${problems.join("; ")}` };
}
