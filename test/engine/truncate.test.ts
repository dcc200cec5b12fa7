import { describe, expect, it } from "vitest";
import { fitsMarker, isTruncated, matchesRecorded, truncateForLog } from "../../src/engine/truncate";

describe("the truncation marker", () => {
  it("replaces a value over the limit with its size and a preview, and leaves one under it alone", () => {
    const big = { text: "a".repeat(100) };
    const marker = truncateForLog(big, 40);
    expect(marker).toEqual({ truncated: true, original_bytes: 111, preview: '{"text":"a' });
    expect(isTruncated(marker)).toBe(true);
    expect(truncateForLog("short", 40)).toBe("short");
    expect(truncateForLog(undefined, 40)).toBeNull();
  });

  it("fits the value it replaced, and no other of another size or beginning", () => {
    const marker = truncateForLog("é".repeat(50), 20);
    if (!isTruncated(marker)) throw new Error("expected a marker");
    expect(fitsMarker(marker, "é".repeat(50))).toBe(true);
    expect(fitsMarker(marker, "é".repeat(49) + "a")).toBe(false);
    expect(fitsMarker(marker, "e".repeat(100))).toBe(false);
  });
});

describe("comparing a value with its record", () => {
  it("compares as JSON stores values: key order aside, undefined keys left out", () => {
    expect(matchesRecorded({ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1, d: undefined })).toBe(true);
    expect(matchesRecorded(null, undefined)).toBe(true);
    expect(matchesRecorded({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(matchesRecorded([1, 2], [1, 2, 3])).toBe(false);
    expect(matchesRecorded({ a: "1" }, { a: 1 })).toBe(false);
  });

  it("matches a marker anywhere in the record against the value it could have replaced", () => {
    const long = "z".repeat(500);
    const recorded = { role: "tool", content: truncateForLog(long, 100) };
    expect(matchesRecorded(recorded, { role: "tool", content: long })).toBe(true);
    expect(matchesRecorded(recorded, { role: "tool", content: long + "!" })).toBe(false);
  });
});
