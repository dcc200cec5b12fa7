/**
 * Appending a domain event, shared by every way in (`POST /events`, ingest, `sendEvent` in a
 * function or a run's code): store it in D1, then put its id on the events queue for the
 * consumer to dispatch. An event whose id is already stored is not sent again, so a source's
 * redelivery (same delivery id) or a client retrying with its own id starts nothing twice.
 *
 * Loops (function A sends what triggers B, which sends what triggers A…) are cut off by the
 * hop count in `metadata.hops`: an event sent by code that an event triggered is one hop
 * further (for a function the capability host sets it from the function's props; for a chain
 * run it is found from the event that started the run), and past `MAX_EVENT_HOPS` the append is
 * refused.
 */
import { db, type Db } from "../db/client";
import { deleteEvent, findEvent, insertEvent } from "../db/events";
import { findFireOfRun } from "../db/triggers";
import type { Env } from "../env";
import { buildEvent, type AppendEvent, type AppendResult } from "./build";
import type { EventMessage } from "./types";

export type { AppendEvent, AppendResult } from "./build";

/**
 * Refused input (a bad type, past the hop limit) is a value with `ok: false`; a failure of D1 or
 * the queue is thrown, and then nothing stays stored.
 */
export async function appendEvent(env: Env, input: AppendEvent): Promise<AppendResult> {
  const d = db(env.DB);
  const built = buildEvent(await withRunHops(d, input), Date.now());
  if (!built.ok) return built;
  const { event } = built;
  if (!(await insertEvent(d, event))) {
    const existing = (await findEvent(d, event.id)) ?? event;
    return { ok: true, id: existing.id, event: existing, duplicate: true };
  }
  try {
    await env.EVENTS.send({ event_id: event.id } satisfies EventMessage, { contentType: "json" });
  } catch (error) {
    // Stored but never queued would be an event no trigger ever sees; undo so a retry can succeed.
    await deleteEvent(d, event.id);
    throw error;
  }
  return { ok: true, id: event.id, event, duplicate: false };
}

/**
 * An event sent by a chain run (the capability host names it in `metadata.source_run_id`) that
 * an event trigger started is one hop further than that event, so a chain whose code sends the
 * type that triggers it stops at the hop limit too.
 */
async function withRunHops(d: Db, input: AppendEvent): Promise<AppendEvent> {
  const runId = input.metadata?.source_run_id;
  if (input.metadata?.hops !== undefined || typeof runId !== "string") return input;
  const fire = await findFireOfRun(d, runId);
  const cause = fire?.event_id ? await findEvent(d, fire.event_id) : undefined;
  return cause ? { ...input, metadata: { ...input.metadata, hops: cause.metadata.hops + 1 } } : input;
}
