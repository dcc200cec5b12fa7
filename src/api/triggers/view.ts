/** The JSON shape of a trigger in API responses; a cron trigger shows when it fires next. */
import { nextCronTime, parseCron } from "../../events/cron";
import type { Trigger } from "../../events/types";

export interface TriggerView extends Trigger {
  /** Epoch ms of the next minute a cron trigger fires in; null for event triggers. */
  next_fire_at: number | null;
}

export function triggerView(trigger: Trigger, now: number): TriggerView {
  const parsed = trigger.schedule === null ? undefined : parseCron(trigger.schedule);
  const next = parsed?.ok && trigger.enabled ? nextCronTime(parsed.schedule, now) : undefined;
  return { ...trigger, next_fire_at: next ?? null };
}
