/**
 * Delivering one domain event to the event triggers that match its type: a chain trigger
 * starts a run with the event as input, a function trigger runs its stored function with the
 * event. Every trigger is attempted; if any failed, delivery fails as a whole and the queue
 * retries it, and the triggers that already fired are skipped then by their fire keys.
 */
import { db } from "../db/client";
import { findFunction } from "../db/functions";
import { findFire, listTriggers, recordFire } from "../db/triggers";
import type { Env } from "../env";
import { fireChainTrigger, fireKey } from "./fire";
import { endExecution, replayKey } from "./replay";
import type { TriggerEffects } from "./trigger-effects";
import { eventFires } from "./triggers";
import type { DomainEvent, Trigger } from "./types";

/** The enabled event triggers, read once per batch and matched per event. */
export function loadEventTriggers(env: Env): Promise<Trigger[]> {
  return listTriggers(db(env.DB), { type: "event", enabledOnly: true });
}

export async function deliverEvent(env: Env, effects: TriggerEffects, event: DomainEvent, eventTriggers: readonly Trigger[]): Promise<void> {
  const triggers = eventTriggers.filter((t) => eventFires(t, event.type));
  const outcomes = await Promise.allSettled(triggers.map((trigger) => fire(env, effects, trigger, event)));
  const failures = outcomes.flatMap((o, i) => (o.status === "rejected" ? [`trigger "${triggers[i]!.name}" (${triggers[i]!.id}): ${messageOf(o.reason)}`] : []));
  if (failures.length > 0) throw new Error(failures.join("; "));
}

async function fire(env: Env, effects: TriggerEffects, trigger: Trigger, event: DomainEvent): Promise<void> {
  const key = fireKey(trigger.id, event.id);
  if (trigger.chain_id !== null) await fireChainTrigger(env, effects, trigger, key, event);
  else await fireFunctionTrigger(env, effects, trigger, key, event);
}

/**
 * A function runs again when its event is redelivered after a failure. The events it sends and
 * the runs it starts get the same ids on every run (see replay.ts), so they happen once; its
 * tool calls and HTTP requests are at-least-once.
 */
async function fireFunctionTrigger(env: Env, effects: TriggerEffects, trigger: Trigger, key: string, event: DomainEvent): Promise<void> {
  const d = db(env.DB);
  const name = trigger.function ?? "";
  if (await findFire(d, key)) return;
  const fn = await findFunction(d, name);
  if (!fn) throw new Error(`function "${name}" no longer exists`);
  const replay = replayKey(key);
  const envelope = await effects.runFunction(fn, event, replay, trigger.role).finally(() => endExecution(env, replay));
  if (!envelope.ok) throw new Error(`function "${name}" failed: ${envelope.error ?? "unknown error"}`);
  const { code: _code, ...outcome } = envelope;
  await recordFire(d, { key, trigger_id: trigger.id, run_id: null, event_id: event.id, result: outcome, error: null }, Date.now());
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
