/**
 * The JSON shape of a trigger in API responses and of what a trigger fired, with their zod
 * schemas for /openapi.json. A cron trigger shows when it fires next: the first matching minute
 * after now, and after the latest minute it has fired for (a minute can be delivered ahead of
 * the clock, e.g. `/cdn-cgi/handler/scheduled?time=`).
 */
import { z } from "zod";
import type { Db } from "../../db/client";
import { lastFiredMinutes, type Fire } from "../../db/triggers";
import { nextCronTime, parseCron } from "../../events/cron";
import type { Trigger } from "../../events/types";

export interface TriggerView extends Trigger {
  /** Epoch ms of the next minute a cron trigger fires in; null for event triggers. */
  next_fire_at: number | null;
}

export const triggerViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(["cron", "event"]),
    schedule: z.string().nullable(),
    event_type: z.string().nullable().meta({ description: "An exact type, `*`, or a prefix ending in `*`" }),
    chain_id: z.string().nullable(),
    function: z.string().nullable(),
    input: z.unknown(),
    vars: z.record(z.string(), z.string()),
    role: z.string().meta({ description: "The role its runs and functions act as (what a domain contract lets them do)" }),
    enabled: z.boolean(),
    created_at: z.number(),
    next_fire_at: z.number().nullable(),
  })
  .meta({ id: "Trigger" }) satisfies z.ZodType<TriggerView>;

export const fireSchema = z
  .object({
    key: z.string(),
    trigger_id: z.string(),
    run_id: z.string().nullable(),
    event_id: z.string().nullable(),
    result: z.unknown().meta({ description: "What a function returned" }),
    error: z.string().nullable(),
    created_at: z.number(),
  })
  .meta({ id: "Fire" }) satisfies z.ZodType<Fire>;

export function triggerView(trigger: Trigger, now: number, lastFired = 0): TriggerView {
  const parsed = trigger.schedule === null ? undefined : parseCron(trigger.schedule);
  const next = parsed?.ok && trigger.enabled ? nextCronTime(parsed.schedule, Math.max(now, lastFired)) : undefined;
  return { ...trigger, next_fire_at: next ?? null };
}

/** Views of stored triggers, with what they already fired for. */
export async function triggerViews(d: Db, triggers: Trigger[], now: number): Promise<TriggerView[]> {
  const cron = triggers.filter((t) => t.type === "cron").map((t) => t.id);
  const fired = cron.length > 0 ? await lastFiredMinutes(d, cron) : new Map<string, number>();
  return triggers.map((t) => triggerView(t, now, fired.get(t.id)));
}
