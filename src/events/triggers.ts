/**
 * Which triggers an occurrence fires: a cron trigger when its schedule matches the UTC minute,
 * an event trigger when its `event_type` pattern matches the event's type (`*` is every type,
 * `prefix*` every type starting with the prefix, anything else exactly that type).
 */
import { cronMatches, parseCron } from "./cron";
import type { Trigger } from "./types";

export function cronDue(trigger: Trigger, time: number): boolean {
  const parsed = parseCron(trigger.schedule ?? "");
  return trigger.type === "cron" && trigger.enabled && parsed.ok && cronMatches(parsed.schedule, time);
}

export function matchesEventType(pattern: string, type: string): boolean {
  if (pattern.endsWith("*")) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

export function eventFires(trigger: Trigger, type: string): boolean {
  return trigger.type === "event" && trigger.enabled && matchesEventType(trigger.event_type ?? "", type);
}
