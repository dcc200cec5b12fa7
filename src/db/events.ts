/**
 * Event bridge queries: domain events and the raw payloads they came from, ingest mappings
 * (secret sealed), the delivery failures and dead letters of the events queue, and the effect
 * counts of running function executions.
 */
import { and, asc, desc, eq, gte, inArray, lt, lte, sql, type SQL } from "drizzle-orm";
import type { DomainEvent, EventMetadata, MappingConfig } from "../events/types";
import type { Db } from "./client";
import { cascadeBudgets, deadLetters, deliveryFailures, effectSequences, events, mappings, rawEvents } from "./schema";

function toEvent(row: typeof events.$inferSelect): DomainEvent {
  return {
    id: row.id,
    type: row.type,
    source: row.source,
    aggregate_id: row.aggregate_id,
    aggregate_type: row.aggregate_type,
    version: row.version,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata) as EventMetadata,
    created_at: row.created_at,
  };
}

/** Stores the event unless one with its id exists; says whether it was new. */
export async function insertEvent(d: Db, event: DomainEvent): Promise<boolean> {
  const inserted = await d
    .insert(events)
    .values({ ...event, data: JSON.stringify(event.data ?? null), metadata: JSON.stringify(event.metadata) })
    .onConflictDoNothing()
    .returning({ id: events.id });
  return inserted.length > 0;
}

export async function deleteEvent(d: Db, id: string): Promise<void> {
  await d.delete(events).where(eq(events.id, id));
}

export async function findEvent(d: Db, id: string): Promise<DomainEvent | undefined> {
  const row = await d.select().from(events).where(eq(events.id, id)).get();
  return row ? toEvent(row) : undefined;
}

export async function findEvents(d: Db, ids: string[]): Promise<Map<string, DomainEvent>> {
  if (ids.length === 0) return new Map();
  const rows = await d.select().from(events).where(inArray(events.id, ids)).all();
  return new Map(rows.map((row) => [row.id, toEvent(row)]));
}

export interface EventFilter {
  type?: string;
  since?: number;
  until?: number;
  limit: number;
}

/** Newest first. */
export async function listEvents(d: Db, filter: EventFilter): Promise<DomainEvent[]> {
  const conditions: SQL[] = [];
  if (filter.type) conditions.push(eq(events.type, filter.type));
  if (filter.since !== undefined) conditions.push(gte(events.created_at, filter.since));
  if (filter.until !== undefined) conditions.push(lte(events.created_at, filter.until));
  const rows = await d
    .select()
    .from(events)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(events.created_at), desc(events.id))
    .limit(filter.limit)
    .all();
  return rows.map(toEvent);
}

export interface RawEvent {
  id: string;
  path: string;
  payload: string;
  headers: Record<string, string>;
  received_at: number;
}

export async function insertRawEvent(d: Db, raw: RawEvent): Promise<void> {
  await d.insert(rawEvents).values({ ...raw, headers: JSON.stringify(raw.headers) });
}

export interface StoredMapping {
  config: MappingConfig;
  /** Sealed with `SECRETS_KEY`; never returned by the API. */
  sealed_secret: string | null;
  created_at: number;
  updated_at: number;
}

function toMapping(row: typeof mappings.$inferSelect): StoredMapping {
  return { config: JSON.parse(row.config) as MappingConfig, sealed_secret: row.secret, created_at: row.created_at, updated_at: row.updated_at };
}

export async function findMapping(d: Db, path: string): Promise<StoredMapping | undefined> {
  const row = await d.select().from(mappings).where(eq(mappings.path, path)).get();
  return row ? toMapping(row) : undefined;
}

export async function listMappings(d: Db): Promise<StoredMapping[]> {
  const rows = await d.select().from(mappings).orderBy(asc(mappings.path)).all();
  return rows.map(toMapping);
}

/** Creates or replaces the mapping for its path. */
export async function saveMapping(d: Db, config: MappingConfig, sealedSecret: string | null, now: number): Promise<StoredMapping> {
  const existing = await findMapping(d, config.path);
  const row = { path: config.path, config: JSON.stringify(config), secret: sealedSecret, created_at: existing?.created_at ?? now, updated_at: now };
  await d.insert(mappings).values(row).onConflictDoUpdate({ target: mappings.path, set: { config: row.config, secret: row.secret, updated_at: now } });
  return { config, sealed_secret: sealedSecret, created_at: row.created_at, updated_at: now };
}

export async function deleteMapping(d: Db, path: string): Promise<boolean> {
  const deleted = await d.delete(mappings).where(eq(mappings.path, path)).returning({ path: mappings.path });
  return deleted.length > 0;
}

/** Keeps the latest error of an event whose delivery is being retried. */
export async function recordDeliveryFailure(d: Db, eventId: string, error: string, attempts: number, now: number): Promise<void> {
  const row = { event_id: eventId, error, attempts, updated_at: now };
  await d.insert(deliveryFailures).values(row).onConflictDoUpdate({ target: deliveryFailures.event_id, set: { error, attempts, updated_at: now } });
}

export async function clearDeliveryFailure(d: Db, eventId: string): Promise<void> {
  await d.delete(deliveryFailures).where(eq(deliveryFailures.event_id, eventId));
}

export async function findDeliveryFailure(d: Db, eventId: string): Promise<{ error: string; attempts: number } | undefined> {
  return d.select({ error: deliveryFailures.error, attempts: deliveryFailures.attempts }).from(deliveryFailures).where(eq(deliveryFailures.event_id, eventId)).get();
}

export interface DeadLetter {
  id: string;
  event_id: string | null;
  payload: unknown;
  error: string;
  attempts: number;
  created_at: number;
}

/** Records a dead letter (once per message id) and drops the delivery failure it came from. */
export async function insertDeadLetter(d: Db, letter: DeadLetter): Promise<void> {
  const insert = d
    .insert(deadLetters)
    .values({ ...letter, payload: JSON.stringify(letter.payload) })
    .onConflictDoNothing();
  if (letter.event_id === null) {
    await insert;
    return;
  }
  await d.batch([insert, d.delete(deliveryFailures).where(eq(deliveryFailures.event_id, letter.event_id))]);
}

export async function listDeadLetters(d: Db, limit: number): Promise<DeadLetter[]> {
  const rows = await d.select().from(deadLetters).orderBy(desc(deadLetters.created_at), desc(deadLetters.id)).limit(limit).all();
  return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) }));
}

/** The execution's next effect number, from 0; atomic, so concurrent calls never share one. */
export async function takeEffectNumber(d: Db, execution: string, now: number): Promise<number> {
  const [row] = await d
    .insert(effectSequences)
    .values({ execution, next: 1, created_at: now })
    .onConflictDoUpdate({ target: effectSequences.execution, set: { next: sql`${effectSequences.next} + 1` } })
    .returning({ next: effectSequences.next });
  return row!.next - 1;
}

export async function clearEffectNumbers(d: Db, execution: string): Promise<void> {
  await d.delete(effectSequences).where(eq(effectSequences.execution, execution));
}

/** Counts one more of `kind` in the cascade `root` began, this minute; returns the count, and forgets earlier minutes. */
export async function countInCascade(d: Db, root: string, kind: "events" | "runs", minute: number): Promise<number> {
  const [rows] = await d.batch([
    d
      .insert(cascadeBudgets)
      .values({ root, kind, minute, count: 1 })
      .onConflictDoUpdate({ target: [cascadeBudgets.root, cascadeBudgets.kind, cascadeBudgets.minute], set: { count: sql`${cascadeBudgets.count} + 1` } })
      .returning({ count: cascadeBudgets.count }),
    d.delete(cascadeBudgets).where(lt(cascadeBudgets.minute, minute)),
  ]);
  return rows[0]!.count;
}
