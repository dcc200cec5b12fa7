/**
 * Every name a chain's `execute_config.tools` may use right now (tools, their services and the
 * built-ins), so validation can warn about names nothing provides yet.
 */
import type { Context } from "hono";
import { readConfig } from "../../config";
import { toolsForRun } from "../../wiring/run-tools";
import type { AppEnv } from "../app-env";

export async function knownToolNames(c: Context<AppEnv>): Promise<Set<string>> {
  const entries = await toolsForRun(c.env, readConfig(c.env), "validation").entries();
  return new Set(entries.flatMap((e) => [e.spec.name, e.service]));
}
