import { describe, expect, it } from "vitest";
import { cronMatches, minuteOf, nextCronTime, parseCron, type CronSchedule } from "../../src/events/cron";

function schedule(text: string): CronSchedule {
  const parsed = parseCron(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.schedule;
}

const at = (iso: string) => Date.parse(iso);

describe("parseCron", () => {
  it.each([
    ["*/5 * * * *"],
    ["0 */6 * * *"],
    ["1,15,30-35/2 0 1 1 0"],
    ["0 9-17 * * MON-FRI"],
    ["0 0 1 jan,Jul *"],
    ["30 4 1,15 * 5"],
    ["0 0 * * 7"],
    ["5/15 * * * *"],
    ["@hourly"],
    ["@DAILY"],
    ["  0  12  *  *  *  "],
  ])("accepts %j", (text) => {
    expect(parseCron(text).ok).toBe(true);
  });

  it.each([
    ["60 * * * *", "minute", "60 is out of range 0-59"],
    ["* 24 * * *", "hour", "24 is out of range 0-23"],
    ["* * 0 * *", "day-of-month", "0 is out of range 1-31"],
    ["* * 32 * *", "day-of-month", "32 is out of range 1-31"],
    ["* * * 13 *", "month", "13 is out of range 1-12"],
    ["* * * FOO *", "month", '"FOO" is not a number (names: JAN'],
    ["* * * * 8", "day-of-week", "8 is out of range 0-7"],
    ["* * * * MONDAY", "day-of-week", '"MONDAY" is not a number'],
    ["*/0 * * * *", "minute", "step"],
    ["*/x * * * *", "minute", "step"],
    ["*/61 * * * *", "minute", "larger than the field's range 0-59"],
    ["10-5 * * * *", "minute", "runs backwards"],
    ["1,,2 * * * *", "minute", "empty list item"],
    ["1-2-3 * * * *", "minute", "not a value or a range"],
    ["1/2/3 * * * *", "minute", 'more than one "/"'],
    ["* * * * -1", "day-of-week", "not a number"],
  ])("rejects %j naming the %s field", (text, field, why) => {
    const parsed = parseCron(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.field).toBe(field);
    expect(parsed.message).toContain(`the ${field} field`);
    expect(parsed.message).toContain(why);
  });

  it.each(["0 0 31 2 *", "0 0 30 2 *", "0 0 31 4,6,9,11 *"])("rejects %j, which never fires, saying so", (text) => {
    expect(parseCron(text)).toEqual({ ok: false, message: expect.stringContaining("never fires") });
  });

  it.each(["", "* * * *", "* * * * * *", "@fortnightly"])("rejects %j for its number of fields", (text) => {
    expect(parseCron(text)).toEqual({ ok: false, message: expect.stringContaining("5 fields") });
  });
});

describe("cronMatches (UTC)", () => {
  it("fires every fifth minute with a step", () => {
    const s = schedule("*/5 * * * *");
    expect(cronMatches(s, at("2026-03-04T10:00:00Z"))).toBe(true);
    expect(cronMatches(s, at("2026-03-04T10:05:59Z"))).toBe(true);
    expect(cronMatches(s, at("2026-03-04T10:06:00Z"))).toBe(false);
    expect(cronMatches(s, at("2026-03-04T10:59:00Z"))).toBe(false);
  });

  it("reads a stepped range and a start with a step", () => {
    const range = schedule("10-20/5 * * * *");
    expect([9, 10, 15, 20, 25].map((m) => cronMatches(range, Date.UTC(2026, 0, 1, 0, m)))).toEqual([false, true, true, true, false]);
    const from = schedule("50/4 * * * *");
    expect([46, 50, 54, 58, 59].map((m) => cronMatches(from, Date.UTC(2026, 0, 1, 0, m)))).toEqual([false, true, true, true, false]);
  });

  it("reads lists mixing values and ranges", () => {
    const s = schedule("0 1,3,20-22 * * *");
    const hours = [0, 1, 2, 3, 19, 20, 21, 22, 23].filter((h) => cronMatches(s, Date.UTC(2026, 0, 1, h, 0)));
    expect(hours).toEqual([1, 3, 20, 21, 22]);
  });

  it("reads weekday and month names, case-insensitively", () => {
    const s = schedule("0 9 * jul mon-fri");
    expect(cronMatches(s, at("2026-07-06T09:00:00Z"))).toBe(true); // Monday
    expect(cronMatches(s, at("2026-07-05T09:00:00Z"))).toBe(false); // Sunday
    expect(cronMatches(s, at("2026-08-03T09:00:00Z"))).toBe(false); // a Monday in August
  });

  it("treats day of week 7 and 0 both as Sunday", () => {
    const sunday = at("2026-03-01T00:00:00Z");
    expect(new Date(sunday).getUTCDay()).toBe(0);
    expect(cronMatches(schedule("0 0 * * 7"), sunday)).toBe(true);
    expect(cronMatches(schedule("0 0 * * 0"), sunday)).toBe(true);
    expect(cronMatches(schedule("0 0 * * 5-7"), sunday)).toBe(true);
    expect(cronMatches(schedule("0 0 * * 7"), at("2026-03-02T00:00:00Z"))).toBe(false);
  });

  it("matches either day of month or day of week when both are restricted", () => {
    // The 13th, or any Friday.
    const s = schedule("0 0 13 * 5");
    expect(cronMatches(s, at("2026-03-13T00:00:00Z"))).toBe(true); // Friday the 13th
    expect(cronMatches(s, at("2026-04-13T00:00:00Z"))).toBe(true); // a Monday, the 13th
    expect(cronMatches(s, at("2026-04-17T00:00:00Z"))).toBe(true); // a Friday, the 17th
    expect(cronMatches(s, at("2026-04-14T00:00:00Z"))).toBe(false);
  });

  it("requires both when one day field starts with *", () => {
    const everyOtherDayOnMondays = schedule("0 0 */2 * 1");
    expect(cronMatches(everyOtherDayOnMondays, at("2026-04-13T00:00:00Z"))).toBe(true); // Monday, day 13
    expect(cronMatches(everyOtherDayOnMondays, at("2026-04-20T00:00:00Z"))).toBe(false); // Monday, day 20
    expect(cronMatches(everyOtherDayOnMondays, at("2026-04-15T00:00:00Z"))).toBe(false); // Wednesday, day 15
    const firstOfMonth = schedule("0 0 1 * *");
    expect(cronMatches(firstOfMonth, at("2026-04-01T00:00:00Z"))).toBe(true);
    expect(cronMatches(firstOfMonth, at("2026-04-06T00:00:00Z"))).toBe(false);
  });

  it("expands the shorthands", () => {
    expect(cronMatches(schedule("@hourly"), at("2026-04-01T05:00:00Z"))).toBe(true);
    expect(cronMatches(schedule("@hourly"), at("2026-04-01T05:01:00Z"))).toBe(false);
    expect(cronMatches(schedule("@weekly"), at("2026-04-05T00:00:00Z"))).toBe(true); // Sunday
    expect(cronMatches(schedule("@weekly"), at("2026-04-06T00:00:00Z"))).toBe(false);
  });
});

describe("nextCronTime", () => {
  it("gives the start of the next matching minute, strictly after the time", () => {
    const s = schedule("*/15 * * * *");
    expect(nextCronTime(s, at("2026-03-04T10:00:00Z"))).toBe(at("2026-03-04T10:15:00Z"));
    expect(nextCronTime(s, at("2026-03-04T10:14:59Z"))).toBe(at("2026-03-04T10:15:00Z"));
    expect(nextCronTime(s, at("2026-03-04T23:50:00Z"))).toBe(at("2026-03-05T00:00:00Z"));
  });

  it("crosses months and finds a leap day", () => {
    expect(nextCronTime(schedule("30 6 1 * *"), at("2026-01-31T12:00:00Z"))).toBe(at("2026-02-01T06:30:00Z"));
    expect(nextCronTime(schedule("0 0 29 2 *"), at("2026-03-01T00:00:00Z"))).toBe(at("2028-02-29T00:00:00Z"));
  });

  it("reads the last day (L), the nearest weekday (W) and the nth weekday (#)", () => {
    const february = at("2026-02-01T00:00:00Z");
    expect(nextCronTime(schedule("0 0 L * *"), february)).toBe(at("2026-02-28T00:00:00Z"));
    expect(nextCronTime(schedule("0 0 15W * *"), february)).toBe(at("2026-02-16T00:00:00Z")); // the 15th is a Sunday
    expect(nextCronTime(schedule("0 0 * * FRI#2"), february)).toBe(at("2026-02-13T00:00:00Z"));
  });

});

describe("minuteOf", () => {
  it("names the UTC minute, whatever the seconds", () => {
    expect(minuteOf(at("2026-03-04T10:05:00.000Z"))).toBe("2026-03-04T10:05Z");
    expect(minuteOf(at("2026-03-04T10:05:59.999Z"))).toBe("2026-03-04T10:05Z");
  });
});
