/**
 * Ids that repeat when a redelivered event runs a function again: each event the function sends
 * and each sub-run it starts is numbered in the order it reaches the host (each capability call
 * is its own request, so the count is kept in D1), and its id is derived from the trigger, the
 * event and that number. Sends the function awaits one by one (the runtime adds missing awaits)
 * are numbered the same way on every run of the same code.
 */
import { db } from "../db/client";
import { clearEffectNumbers, takeEffectNumber } from "../db/events";
import type { Env } from "../env";
import type { ReplayKey } from "../sandbox/capabilities";
import { idFromKey } from "./ids";

/** A fresh execution of the code that `key` (a trigger and an event) runs. */
export function replayKey(key: string): ReplayKey {
  return { key, execution: crypto.randomUUID() };
}

export async function effectId(env: Env, replay: ReplayKey): Promise<string> {
  const number = await takeEffectNumber(db(env.DB), replay.execution, Date.now());
  return idFromKey(`${replay.key}:effect:${number}`);
}

/** Drops the execution's count once it has ended; a later run of the same code counts from 0 again. */
export async function endExecution(env: Env, replay: ReplayKey): Promise<void> {
  await clearEffectNumbers(db(env.DB), replay.execution);
}
