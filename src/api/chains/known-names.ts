/**
 * Every name a chain may use right now — in `execute_config.tools` (tools, their services and
 * the built-ins), in `provider` / `providers` (provider names and types) and in `group:NAME`
 * models — so validation can warn about names nothing provides yet. While the LLM settings
 * are invalid, provider and group names are not judged (the run will report the settings).
 */
import type { Context } from "hono";
import { llmConfigError, readConfig } from "../../config";
import type { ValidateOptions } from "../../engine/validate";
import { toolsForRun } from "../../wiring/run-tools";
import type { AppEnv } from "../app-env";
import { groupsOf } from "../groups/document";
import { registryOf } from "../providers/document";

export async function knownNames(c: Context<AppEnv>): Promise<ValidateOptions> {
  const entries = await toolsForRun(c.env, readConfig(c.env), "validation").entries();
  const knownTools = new Set(entries.flatMap((e) => [e.spec.name, e.service]));
  if (llmConfigError(readConfig(c.env)) !== undefined) return { knownTools };
  const [providers, groups] = await Promise.all([registryOf(c).list(), groupsOf(c)]);
  return { knownTools, knownProviders: providers.flatMap((p) => [p.name, p.type]), knownGroups: groups.map((g) => g.name) };
}
