/**
 * The JSON shape of a trigger in API responses (a cron trigger shows when it fires next) and
 * of what a trigger fired, with their zod schemas for /openapi.json.
 */
import { z } from "zod";
import type { Fire } from "../../db/triggers";
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

export function triggerView(trigger: Trigger, now: number): TriggerView {
  const parsed = trigger.schedule === null ? undefined : parseCron(trigger.schedule);
  const next = parsed?.ok && trigger.enabled ? nextCronTime(parsed.schedule, now) : undefined;
  return { ...trigger, next_fire_at: next ?? null };
}
