/**
 * Firing a trigger once per key (`<trigger id>:<minute>` for cron, `<trigger id>:<event id>`
 * for events). A key already fired is skipped; otherwise the run id is derived from the key,
 * so two deliveries racing past the check still meet at the same ChainRun object, whose
 * start() is idempotent, and make one run.
 */
import { resolveChain } from "../chains/resolve";
import { db } from "../db/client";
import { findFire, recordFire } from "../db/triggers";
import type { Env } from "../env";
import { runInput, startRun } from "../run/start";
import { idFromKey } from "./ids";
import type { Trigger } from "./types";

export function fireKey(triggerId: string, occurrence: string): string {
  return `${triggerId}:${occurrence}`;
}

export async function fireChainTrigger(env: Env, trigger: Trigger, key: string, input: unknown, eventId: string | null): Promise<void> {
  const d = db(env.DB);
  if ((await findFire(d, key))?.run_id) return;
  const chainId = trigger.chain_id ?? "";
  const resolved = await resolveChain(env, chainId);
  if (!resolved) throw new Error(`chain "${chainId}" is no longer registered or bundled`);
  const runId = await idFromKey(key);
  await startRun(env, { chain: resolved.chain, chain_version: resolved.version, input: runInput(input), vars: trigger.vars, run_id: runId });
  await recordFire(d, { key, trigger_id: trigger.id, run_id: runId, event_id: eventId, result: null, error: null }, Date.now());
}
