/**
 * The work one outside event may cause. The hop limit (build.ts) bounds how long a chain of
 * events can get, not how wide: a function that sends two events of the type that triggers it
 * turns one event into 511 within eight hops. So every event carries the id of the outside
 * event its cascade began with (`metadata.root`), and each event sent and each run a trigger
 * starts in that cascade is counted, per minute (`EVENT_CASCADE_MAX_EVENTS`,
 * `EVENT_CASCADE_MAX_RUNS`). What exceeds the budget does not happen: it is dead-lettered at once
 * with the reason, never retried, so the cascade stops there.
 */
import type { Config } from "../config";
import { db } from "../db/client";
import { countInCascade, insertDeadLetter } from "../db/events";
import type { Env } from "../env";
import type { DomainEvent } from "./types";

/** The outside event an event's cascade began with (itself, for an outside event). */
export function cascadeRoot(event: Pick<DomainEvent, "id" | "metadata">): string {
  return typeof event.metadata.root === "string" ? event.metadata.root : event.id;
}

/**
 * Counts one more event or run in the cascade of `root`; when that is over the budget, records
 * `what` as a dead letter (under `letterId`) and returns the reason.
 */
export async function overCascadeBudget(
  env: Env,
  limits: Config["limits"],
  root: string,
  kind: "events" | "runs",
  letter: { id: string; event_id: string; payload: unknown },
  now = Date.now(),
): Promise<string | undefined> {
  const d = db(env.DB);
  const limit = kind === "events" ? limits.cascadeEvents : limits.cascadeRuns;
  const count = await countInCascade(d, root, kind, Math.floor(now / 60_000));
  if (count <= limit) return undefined;
  const setting = kind === "events" ? "EVENT_CASCADE_MAX_EVENTS" : "EVENT_CASCADE_MAX_RUNS";
  const error = `the cascade of outside event ${root} has caused more than ${limit} ${kind} this minute (${setting}); this one is dropped`;
  await insertDeadLetter(d, { ...letter, error, attempts: 0, created_at: now });
  return error;
}
