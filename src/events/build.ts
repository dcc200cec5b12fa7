/**
 * Building a domain event from an append request: the checks every way in shares (a usable
 * type, a hop count within `MAX_EVENT_HOPS`) and the defaults (a random id, null data,
 * version 1). Refusals are values that name the field at fault.
 */
import type { DomainEvent, EventMetadata } from "./types";

export const MAX_EVENT_HOPS = 8;
const MAX_TYPE_LENGTH = 200;

export interface AppendEvent {
  type: string;
  /** Absent means null. */
  data?: unknown;
  metadata?: Partial<EventMetadata>;
  /** A caller's own id (idempotent appends); a random UUID otherwise. */
  id?: string;
  source?: string | null;
  aggregate_id?: string | null;
  aggregate_type?: string | null;
}

export type AppendResult =
  | { ok: true; id: string; event: DomainEvent; /** An event with this id already existed; nothing was sent. */ duplicate: boolean }
  | { ok: false; error: string; field: "type" | "metadata.hops" | "metadata.root" };

type Built = { ok: true; event: DomainEvent } | Extract<AppendResult, { ok: false }>;

export function buildEvent(input: AppendEvent, now: number): Built {
  if (typeof input.type !== "string" || input.type.trim() === "" || input.type.length > MAX_TYPE_LENGTH) {
    return { ok: false, field: "type", error: `an event type must be a non-empty string of at most ${MAX_TYPE_LENGTH} characters` };
  }
  const hops = input.metadata?.hops ?? 0;
  if (!Number.isInteger(hops) || hops < 0) return { ok: false, field: "metadata.hops", error: "metadata.hops must be a whole number of at least 0" };
  if (hops > MAX_EVENT_HOPS) {
    return {
      ok: false,
      field: "metadata.hops",
      error:
        `hop limit reached: this event would be ${hops} sendEvent hops from an outside event (the limit is ${MAX_EVENT_HOPS}); ` +
        `is a function sending the event type that triggers it?`,
    };
  }
  return {
    ok: true,
    event: {
      id: input.id ?? crypto.randomUUID(),
      type: input.type,
      source: input.source ?? null,
      aggregate_id: input.aggregate_id ?? null,
      aggregate_type: input.aggregate_type ?? null,
      version: 1,
      data: input.data ?? null,
      metadata: { ...input.metadata, hops },
      created_at: now,
    },
  };
}
