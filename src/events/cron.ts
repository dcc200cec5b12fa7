/**
 * Standard five-field cron expressions (minute, hour, day of month, month, day of week), read
 * in UTC: lists, ranges, steps, month and weekday names, day of week 0-7 (both 0 and 7 are
 * Sunday) and the `@hourly`-style shorthands. Day of month and day of week follow the classic
 * Vixie cron rule: when both are restricted, a day matches if EITHER does; a field that starts
 * with `*` (including `*\/2`) counts as unrestricted.
 */

export type CronField = "minute" | "hour" | "day-of-month" | "month" | "day-of-week";

export interface CronSchedule {
  source: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  /** The day-of-month field started with `*`. */
  anyDay: boolean;
  /** The day-of-week field started with `*`. */
  anyWeekday: boolean;
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

const SHORTHANDS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

class FieldError extends Error {
  constructor(
    readonly field: CronField,
    message: string,
  ) {
    super(message);
  }
}

export function parseCron(text: string): CronParseResult {
  const source = text.trim();
  const expanded = SHORTHANDS[source.toLowerCase()] ?? source;
  const parts = expanded.split(/\s+/).filter(Boolean);
  if (parts.length !== FIELDS.length) {
    return {
      ok: false,
      message: `a cron schedule has 5 fields (minute hour day-of-month month day-of-week), got ${parts.length} in "${source}"`,
    };
  }
  try {
    const [minutes, hours, days, months, weekdays] = FIELDS.map((spec, i) => parseField(parts[i]!, spec));
    // Day of week 7 is Sunday, like 0.
    const sundays = new Set([...weekdays!].map((d) => (d === 7 ? 0 : d)));
    return {
      ok: true,
      schedule: {
        source,
        minutes: minutes!,
        hours: hours!,
        days: days!,
        months: months!,
        weekdays: sundays,
        anyDay: parts[2]!.startsWith("*"),
        anyWeekday: parts[4]!.startsWith("*"),
      },
    };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, field: error.field, message: error.message };
    throw error;
  }
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(",")) {
    const fail = (why: string) => new FieldError(spec.name, `the ${spec.name} field "${text}": ${why}`);
    if (item === "") throw fail("an empty list item");
    const [rangeText, stepText, ...extra] = item.split("/");
    if (extra.length > 0) throw fail(`"${item}" has more than one "/"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw fail(`the step in "${item}" must be a whole number of at least 1`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (rangeText === "*") {
      [from, to] = [spec.min, spec.max];
    } else {
      const [lowText, highText, ...more] = rangeText!.split("-");
      if (more.length > 0) throw fail(`"${item}" is not a value or a range`);
      from = valueOf(lowText!, spec, fail);
      // `a/n` means from a to the end of the field, as in Vixie cron.
      to = highText !== undefined ? valueOf(highText, spec, fail) : stepText !== undefined ? spec.max : from;
      if (from > to) throw fail(`the range "${rangeText}" runs backwards`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function valueOf(text: string, spec: FieldSpec, fail: (why: string) => Error): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return spec.name === "month" ? named + 1 : named;
  if (!/^\d+$/.test(text)) {
    const hint = spec.names ? ` (names: ${spec.names.join(", ")})` : "";
    throw fail(`"${text}" is not a number${hint}`);
  }
  const value = Number(text);
  if (value < spec.min || value > spec.max) throw fail(`${value} is out of range ${spec.min}-${spec.max}`);
  return value;
}

/** Whether the schedule fires in the UTC minute that contains `time` (epoch ms). */
export function cronMatches(schedule: CronSchedule, time: number): boolean {
  const date = new Date(time);
  return (
    schedule.minutes.has(date.getUTCMinutes()) &&
    schedule.hours.has(date.getUTCHours()) &&
    schedule.months.has(date.getUTCMonth() + 1) &&
    dayMatches(schedule, date)
  );
}

function dayMatches(schedule: CronSchedule, date: Date): boolean {
  const byDay = schedule.days.has(date.getUTCDate());
  const byWeekday = schedule.weekdays.has(date.getUTCDay());
  if (schedule.anyDay || schedule.anyWeekday) return byDay && byWeekday;
  return byDay || byWeekday;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Past any 29 February; a schedule with no match in this many days never fires (e.g. 31 February). */
const SEARCH_DAYS = 366 * 28;

/** The start (epoch ms) of the first minute strictly after `after` in which the schedule fires. */
export function nextCronTime(schedule: CronSchedule, after: number): number | undefined {
  const start = Math.floor(after / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const firstDay = Math.floor(start / DAY_MS) * DAY_MS;
  const hours = sorted(schedule.hours);
  const minutes = sorted(schedule.minutes);
  for (let day = 0; day < SEARCH_DAYS; day++) {
    const dayStart = firstDay + day * DAY_MS;
    const date = new Date(dayStart);
    if (!schedule.months.has(date.getUTCMonth() + 1) || !dayMatches(schedule, date)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const time = dayStart + hour * 60 * MINUTE_MS + minute * MINUTE_MS;
        if (time >= start) return time;
      }
    }
  }
  return undefined;
}

function sorted(values: ReadonlySet<number>): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The minute a scheduled time falls in, as the ISO text used in idempotency keys. */
export function minuteOf(time: number): string {
  return new Date(Math.floor(time / MINUTE_MS) * MINUTE_MS).toISOString().slice(0, 16) + "Z";
}
