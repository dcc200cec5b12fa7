/**
 * Firing a trigger once per key (`<trigger id>:<minute>` for cron, `<trigger id>:<event id>`
 * for events). A key already fired is skipped; otherwise the run id is derived from the key,
 * so two deliveries racing past the check still meet at the same ChainRun object, whose
 * start() is idempotent, and make one run. A run an event started sends its own events one hop
 * further than that event, in the same cascade; a run past its cascade's budget is not started
 * (events/cascade.ts).
 */
import { resolveChain } from "../chains/resolve";
import { db } from "../db/client";
import { findFire, recordFire } from "../db/triggers";
import type { Env } from "../env";
import { runInput } from "../engine/run-input";
import { readConfig } from "../config";
import { cascadeRoot, overCascadeBudget } from "./cascade";
import { idFromKey } from "./ids";
import type { TriggerEffects } from "./trigger-effects";
import type { DomainEvent, Trigger } from "./types";

export function fireKey(triggerId: string, occurrence: string): string {
  return `${triggerId}:${occurrence}`;
}

/** `cause` is the event an event trigger fires for; null for a cron minute, whose input is the trigger's. */
export async function fireChainTrigger(env: Env, effects: TriggerEffects, trigger: Trigger, key: string, cause: DomainEvent | null): Promise<void> {
  const d = db(env.DB);
  if ((await findFire(d, key))?.run_id) return;
  const chainId = trigger.chain_id ?? "";
  const resolved = await resolveChain(env, chainId);
  if (!resolved) throw new Error(`chain "${chainId}" is no longer registered or bundled`);
  const runId = await idFromKey(key);
  const root = cause && cascadeRoot(cause);
  if (root) {
    const refused = await overCascadeBudget(env, readConfig(env).limits, root, "runs", { id: `cascade:${key}`, event_id: cause!.id, payload: { trigger_id: trigger.id, chain_id: chainId } });
    if (refused) {
      await recordFire(d, { key, trigger_id: trigger.id, run_id: null, event_id: cause!.id, result: null, error: refused }, Date.now());
      return;
    }
  }
  await effects.startRun({
    chain: resolved.chain,
    chain_version: resolved.version,
    input: runInput(cause ?? trigger.input),
    vars: trigger.vars,
    run_id: runId,
    ...(cause ? { event_hops: cause.metadata.hops + 1, event_root: cascadeRoot(cause) } : {}),
    principal: trigger.role,
  });
  await recordFire(d, { key, trigger_id: trigger.id, run_id: runId, event_id: cause?.id ?? null, result: null, error: null }, Date.now());
}
