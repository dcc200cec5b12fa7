/**
 * The cron handler: the platform calls `scheduled()` once a minute; every enabled cron trigger
 * whose schedule matches that UTC minute starts one run. The minute, not the delivery, is the
 * idempotency key, so a handler delivered twice for the same minute starts nothing twice.
 * One trigger failing (its chain deleted) does not stop the others; its error is recorded on
 * the fire, because cron invocations are not retried.
 */
import { db } from "../db/client";
import { listTriggers, recordFire } from "../db/triggers";
import type { Env } from "../env";
import { minuteOf } from "./cron";
import { fireChainTrigger, fireKey } from "./fire";
import type { TriggerEffects } from "./trigger-effects";
import { cronDue } from "./triggers";

export async function runScheduled(env: Env, effects: TriggerEffects, scheduledTime: number): Promise<void> {
  const d = db(env.DB);
  const due = (await listTriggers(d, { type: "cron", enabledOnly: true })).filter((t) => cronDue(t, scheduledTime));
  const minute = minuteOf(scheduledTime);
  await Promise.all(
    due.map(async (trigger) => {
      const key = fireKey(trigger.id, minute);
      try {
        await fireChainTrigger(env, effects, trigger, key, null);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.error(`cron trigger ${trigger.id} failed for ${minute}: ${message}`);
        await recordFire(d, { key, trigger_id: trigger.id, run_id: null, event_id: null, result: null, error: message }, Date.now());
      }
    }),
  );
}
