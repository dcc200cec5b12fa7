/**
 * Trigger queries, and the fire records that make a trigger fire once per key (a cron minute or
 * an event id) however many times it is delivered.
 */
import { and, desc, eq, inArray, isNull, max } from "drizzle-orm";
import { ADMIN_ROLE } from "../contract/types";
import type { Trigger } from "../events/types";
import type { Db } from "./client";
import { triggerFires, triggers } from "./schema";

type TriggerRow = typeof triggers.$inferSelect;

function toTrigger(row: TriggerRow): Trigger {
  return {
    id: row.id,
    name: row.name,
    type: row.type === "cron" ? "cron" : "event",
    schedule: row.schedule,
    event_type: row.event_type,
    chain_id: row.chain_id,
    function: row.function_name,
    input: row.input === null ? null : JSON.parse(row.input),
    vars: row.vars === null ? {} : (JSON.parse(row.vars) as Record<string, string>),
    // Triggers made before roles acted as the only role there was.
    role: row.role ?? ADMIN_ROLE,
    enabled: row.enabled === 1,
    created_at: row.created_at,
  };
}

export async function insertTrigger(d: Db, trigger: Trigger): Promise<void> {
  await d.insert(triggers).values({
    id: trigger.id,
    name: trigger.name,
    type: trigger.type,
    schedule: trigger.schedule,
    event_type: trigger.event_type,
    chain_id: trigger.chain_id,
    function_name: trigger.function,
    input: trigger.input === undefined ? null : JSON.stringify(trigger.input),
    vars: JSON.stringify(trigger.vars),
    role: trigger.role,
    enabled: trigger.enabled ? 1 : 0,
    created_at: trigger.created_at,
  });
}

export async function findTrigger(d: Db, id: string): Promise<Trigger | undefined> {
  const row = await d.select().from(triggers).where(eq(triggers.id, id)).get();
  return row ? toTrigger(row) : undefined;
}

export async function listTriggers(d: Db, filter: { type?: Trigger["type"]; enabledOnly?: boolean } = {}): Promise<Trigger[]> {
  const conditions = [];
  if (filter.type) conditions.push(eq(triggers.type, filter.type));
  if (filter.enabledOnly) conditions.push(eq(triggers.enabled, 1));
  const rows = await d
    .select()
    .from(triggers)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(triggers.created_at), desc(triggers.id))
    .all();
  return rows.map(toTrigger);
}

/** The trigger as updated, or undefined when there is no such trigger. */
export async function setTriggerEnabled(d: Db, id: string, enabled: boolean): Promise<Trigger | undefined> {
  const [row] = await d.update(triggers).set({ enabled: enabled ? 1 : 0 }).where(eq(triggers.id, id)).returning();
  return row ? toTrigger(row) : undefined;
}

export async function triggersUsingFunction(d: Db, name: string): Promise<string[]> {
  const rows = await d.select({ id: triggers.id }).from(triggers).where(eq(triggers.function_name, name)).all();
  return rows.map((r) => r.id);
}

export async function deleteTrigger(d: Db, id: string): Promise<boolean> {
  const deleted = await d.delete(triggers).where(eq(triggers.id, id)).returning({ id: triggers.id });
  return deleted.length > 0;
}

export interface Fire {
  key: string;
  trigger_id: string;
  run_id: string | null;
  event_id: string | null;
  result: unknown;
  error: string | null;
  created_at: number;
}

function toFire(row: typeof triggerFires.$inferSelect): Fire {
  return { ...row, result: row.result === null ? null : JSON.parse(row.result) };
}

export async function findFire(d: Db, key: string): Promise<Fire | undefined> {
  const row = await d.select().from(triggerFires).where(eq(triggerFires.key, key)).get();
  return row ? toFire(row) : undefined;
}

/** Records a firing; a later attempt for the same key replaces a failed one's record. */
export async function recordFire(d: Db, fire: Omit<Fire, "created_at">, now: number): Promise<void> {
  const row = { ...fire, result: fire.result === null ? null : JSON.stringify(fire.result), created_at: now };
  await d
    .insert(triggerFires)
    .values(row)
    .onConflictDoUpdate({ target: triggerFires.key, set: { run_id: row.run_id, result: row.result, error: row.error } });
}

export async function listFires(d: Db, filter: { trigger_id?: string; event_id?: string; limit: number }): Promise<Fire[]> {
  const conditions = [];
  if (filter.trigger_id) conditions.push(eq(triggerFires.trigger_id, filter.trigger_id));
  if (filter.event_id) conditions.push(eq(triggerFires.event_id, filter.event_id));
  const rows = await d
    .select()
    .from(triggerFires)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(triggerFires.created_at))
    .limit(filter.limit)
    .all();
  return rows.map(toFire);
}

/**
 * The latest minute each cron trigger fired for (epoch ms), read from its fire keys
 * (`<trigger id>:<minute>`, whose ISO minutes sort in time order).
 */
export async function lastFiredMinutes(d: Db, triggerIds: string[]): Promise<Map<string, number>> {
  const rows = await d
    .select({ trigger_id: triggerFires.trigger_id, key: max(triggerFires.key) })
    .from(triggerFires)
    .where(and(isNull(triggerFires.event_id), inArray(triggerFires.trigger_id, triggerIds)))
    .groupBy(triggerFires.trigger_id)
    .all();
  return new Map(rows.flatMap((r) => (r.key === null ? [] : [[r.trigger_id, Date.parse(r.key.slice(r.trigger_id.length + 1))] as const])).filter(([, t]) => Number.isFinite(t)));
}
