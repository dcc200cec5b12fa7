import { describe, expect, it } from "vitest";
import { splitText } from "../../src/run/split-text";

describe("splitText", () => {
  it("cuts text into pieces of at most the given length that join back to it", () => {
    const text = "abcdefghij".repeat(7);
    const parts = splitText(text, 16);
    expect(parts.every((p) => p.length <= 16)).toBe(true);
    expect(parts.join("")).toBe(text);
    expect(parts).toHaveLength(5);
  });

  it("never cuts a surrogate pair, so every piece is valid UTF-8", () => {
    const text = "ab😀cd😀😀e".repeat(5);
    for (const units of [2, 3, 4, 5]) {
      const parts = splitText(text, units);
      expect(parts.join("")).toBe(text);
      for (const part of parts) expect(new TextDecoder().decode(new TextEncoder().encode(part))).toBe(part);
    }
  });

  it("keeps short text whole", () => {
    expect(splitText('{"a":1}', 100)).toEqual(['{"a":1}']);
  });
});
