/**
 * Appending a domain event, shared by every way in (`POST /events`, ingest, `sendEvent` in a
 * function or a run's code): store it in D1, then put its id on the events queue for the
 * consumer to dispatch. An event whose id is already stored is not sent again, so a source's
 * redelivery (same delivery id) or a client retrying with its own id starts nothing twice.
 *
 * Loops (function A sends what triggers B, which sends what triggers A…) are cut off by the
 * hop count in `metadata.hops`: an event sent by code that an event caused is one hop further
 * (the capability host sets it, see host.ts), and past `MAX_EVENT_HOPS` the append is refused.
 * How wide a cascade grows is bounded too: an event caused by another counts against the budget
 * of its cascade's outside event, and past it the event is dead-lettered, not sent (cascade.ts).
 */
import { db } from "../db/client";
import { deleteEvent, findEvent, insertEvent } from "../db/events";
import type { Env } from "../env";
import { readConfig } from "../config";
import { buildEvent, type AppendEvent, type AppendResult } from "./build";
import { cascadeRoot, overCascadeBudget } from "./cascade";
import type { EventMessage } from "./types";

export type { AppendEvent, AppendResult } from "./build";

/**
 * Refused input (a bad type, past the hop limit) is a value with `ok: false`; a failure of D1 or
 * the queue is thrown, and then nothing stays stored.
 */
export async function appendEvent(env: Env, input: AppendEvent): Promise<AppendResult> {
  const d = db(env.DB);
  const built = buildEvent(input, Date.now());
  if (!built.ok) return built;
  const { event } = built;
  const root = cascadeRoot(event);
  if (root !== event.id) {
    const refused = await overCascadeBudget(env, readConfig(env).limits, root, "events", { id: `cascade:${event.id}`, event_id: event.id, payload: event });
    if (refused) return { ok: false, field: "metadata.root", error: refused };
  }
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
