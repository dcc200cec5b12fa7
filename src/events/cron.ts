/**
 * Cron schedules for triggers: standard five-field expressions (minute, hour, day of month,
 * month, day of week) read in UTC, with lists, ranges, steps, month and weekday names, day of
 * week 0-7 (both 0 and 7 are Sunday), the `@hourly`-style shorthands, and croner's extensions
 * `L` (last), `W` (nearest weekday) and `#` (nth weekday). The `croner` library reads them and
 * does the date arithmetic; day of month and day of week follow the classic Vixie cron rule (when
 * both are restricted a day matches if EITHER does, and a field that starts with `*`, `*\/2`
 * included, counts as unrestricted). croner adds 42 KiB to the Worker bundle (11 KiB gzipped,
 * measured with `npm run build`).
 *
 * An expression croner refuses is explained here, field by field, because croner's own messages
 * are not clear enough for a 400: of the 16 bad expressions in test/events/cron.test.ts they name
 * the field in 7 and misstate the value in 3 (day of month `0` is reported as `-1`, `32` as `31`,
 * month `13` as `12`).
 */

import { Cron } from "croner";

export type CronField = "minute" | "hour" | "day-of-month" | "month" | "day-of-week";

export interface CronSchedule {
  source: string;
  cron: Cron;
}

export type CronParseResult = { ok: true; schedule: CronSchedule } | { ok: false; field?: CronField; message: string };

interface FieldSpec {
  name: CronField;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day-of-week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

export function parseCron(text: string): CronParseResult {
  const source = text.trim();
  const parts = source.split(/\s+/).filter(Boolean);
  try {
    const cron = cronOf(source, parts);
    // croner looks years ahead; a schedule with no match there names a date that never occurs.
    if (cron.nextRun() === null) {
      return { ok: false, message: `"${source}" never fires: no date matches all of its fields (such as the 31st of a month that has fewer days)` };
    }
    return { ok: true, schedule: { source, cron } };
  } catch (error) {
    if (parts.length !== FIELDS.length) {
      return {
        ok: false,
        message: `a cron schedule has 5 fields (minute hour day-of-month month day-of-week), got ${parts.length} in "${source}"`,
      };
    }
    for (const [index, spec] of FIELDS.entries()) {
      const why = fieldProblem(parts[index]!, spec);
      if (why) return { ok: false, field: spec.name, message: `the ${spec.name} field "${parts[index]}": ${why}` };
    }
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, "") : String(error);
    return { ok: false, message: `"${source}" is not a cron schedule: ${reason}` };
  }
}

function cronOf(source: string, parts: string[]): Cron {
  // croner's OR rule counts only a bare `*` as unrestricted; Vixie cron counts any field that
  // starts with `*`, and a day field like `*\/2` then narrows the other one (AND).
  const starred = parts.length === FIELDS.length && (parts[2]!.startsWith("*") || parts[4]!.startsWith("*"));
  // Without a function to run, croner only reads the pattern: no timer is started.
  return new Cron(source, { mode: "5-part", utcOffset: 0, sloppyRanges: true, domAndDow: starred });
}

/** What is wrong with one field, in words, or undefined when it reads well. */
function fieldProblem(text: string, spec: FieldSpec): string | undefined {
  for (const item of text.split(",")) {
    if (item === "") return "an empty list item";
    const [rangeText, stepText, ...extra] = item.split("/");
    if (extra.length > 0) return `"${item}" has more than one "/"`;
    if (stepText !== undefined) {
      const step = /^\d+$/.test(stepText) ? Number(stepText) : 0;
      if (step < 1) return `the step in "${item}" must be a whole number of at least 1`;
      if (step > spec.max) return `the step in "${item}" is larger than the field's range ${spec.min}-${spec.max}`;
    }
    if (rangeText === "*") continue;
    const bounds = rangeText!.split("-");
    if (bounds.length > 2) return `"${item}" is not a value or a range`;
    const values = bounds.map((bound) => valueOf(bound, spec));
    const problem = values.find((value) => typeof value === "string");
    if (problem !== undefined) return problem;
    if (values.length === 2 && values[0]! > values[1]!) return `the range "${rangeText}" runs backwards`;
  }
  return undefined;
}

/** The number a value stands for, or what is wrong with it. */
function valueOf(text: string, spec: FieldSpec): number | string {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return spec.name === "month" ? named + 1 : named;
  if (!/^\d+$/.test(text)) return `"${text}" is not a number${spec.names ? ` (names: ${spec.names.join(", ")})` : ""}`;
  const value = Number(text);
  return value < spec.min || value > spec.max ? `${value} is out of range ${spec.min}-${spec.max}` : value;
}

const MINUTE_MS = 60_000;

/** Whether the schedule fires in the UTC minute that contains `time` (epoch ms). */
export function cronMatches(schedule: CronSchedule, time: number): boolean {
  return schedule.cron.match(new Date(startOfMinute(time)));
}

/** The start (epoch ms) of the first minute strictly after `after` in which the schedule fires. */
export function nextCronTime(schedule: CronSchedule, after: number): number | undefined {
  return schedule.cron.nextRun(new Date(after))?.getTime();
}

/** The minute a scheduled time falls in, as the ISO text used in idempotency keys. */
export function minuteOf(time: number): string {
  return new Date(startOfMinute(time)).toISOString().slice(0, 16) + "Z";
}

function startOfMinute(time: number): number {
  return Math.floor(time / MINUTE_MS) * MINUTE_MS;
}
