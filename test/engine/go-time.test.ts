import { describe, expect, it } from "vitest";
import { RFC3339, formatGoTime } from "../../src/engine/go-time";

// Saturday 9 March 2024 (a leap year, so day 69), 14:05:07.089 UTC.
const AFTERNOON = Date.UTC(2024, 2, 9, 14, 5, 7, 89);
// Monday 5 February 2024, 00:30:00.000 UTC: the 12-hour clock reads 12 AM.
const MIDNIGHT = Date.UTC(2024, 1, 5, 0, 30, 0, 0);

describe("formatGoTime", () => {
  it.each([
    ["2006-01-02", "2024-03-09"],
    ["2006-01-02 15:04:05", "2024-03-09 14:05:07"],
    ["Monday, January 2, 2006", "Saturday, March 9, 2024"],
    [RFC3339, "2024-03-09T14:05:07Z"],
    ["3:04PM", "2:05PM"],
    ["3:04pm", "2:05pm"],
    ["Mon Jan _2 15:04:05 MST 2006", "Sat Mar  9 14:05:07 UTC 2024"],
    ["02 Jan 06 15:04 -0700", "09 Mar 24 14:05 +0000"],
    ["06/1/2 03:4:5", "24/3/9 02:5:7"],
    ["day 002 of 2006", "day 069 of 2024"],
    ["[__2]", "[ 69]"],
    ["_2006", "_2024"],
  ])("formats %j as %j", (layout, expected) => {
    expect(formatGoTime(AFTERNOON, layout)).toBe(expected);
  });

  it.each([
    ["15:04:05.000", "14:05:07.089"],
    ["15:04:05,000", "14:05:07,089"],
    ["15:04:05.000000", "14:05:07.089000"],
    ["15:04:05.999999", "14:05:07.089"],
    ["15:04:05.9", "14:05:07"],
    ["15:04:05.0", "14:05:07.0"],
    ["15:04:05.99", "14:05:07.08"],
  ])("writes fractional seconds for %j as %j", (layout, expected) => {
    expect(formatGoTime(AFTERNOON, layout)).toBe(expected);
  });

  it("omits a .999 fraction entirely on a whole second", () => {
    expect(formatGoTime(MIDNIGHT, "15:04:05.999")).toBe("00:30:00");
  });

  it.each([
    ["Z07:00", "Z"],
    ["Z0700", "Z"],
    ["Z07", "Z"],
    ["-07:00", "+00:00"],
    ["-0700", "+0000"],
    ["-07", "+00"],
    ["-07:00:00", "+00:00:00"],
    ["-070000", "+000000"],
    ["MST", "UTC"],
  ])("renders the zone element %j as UTC (%j)", (layout, expected) => {
    expect(formatGoTime(AFTERNOON, layout)).toBe(expected);
  });

  it("shows 12 AM just after midnight", () => {
    expect(formatGoTime(MIDNIGHT, "3:04 PM, Mon 2 Jan")).toBe("12:30 AM, Mon 5 Feb");
    expect(formatGoTime(MIDNIGHT, "03 pm")).toBe("12 am");
  });

  it("copies text that is not a layout element", () => {
    expect(formatGoTime(AFTERNOON, "Today is 2006-01-02.")).toBe("Today is 2024-03-09.");
    expect(formatGoTime(AFTERNOON, "")).toBe("");
  });
});
