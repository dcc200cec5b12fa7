import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/engine/duration";
import { EngineError } from "../../src/engine/errors";

describe("parseDuration", () => {
  it.each([
    ["1s", 1_000],
    ["500ms", 500],
    ["1m30s", 90_000],
    ["2h", 7_200_000],
    ["1.5s", 1_500],
    ["250us", 0.25],
    ["250µs", 0.25],
    ["1500ns", 0.0015],
    ["1h2m3s4ms", 3_723_004],
    [".5m", 30_000],
    ["0.7s", 700],
    ["0", 0],
    ["-1s", -1_000],
    ["+2s", 2_000],
    [" 30s ", 30_000],
  ])("reads %j as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "s", "10", "1x", "1s2", "one second", "1 s", "1.s.5", "--1s", "0s0"])(
    "rejects %j as invalid_duration naming the text",
    (text) => {
      const error = (() => {
        try {
          parseDuration(text);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).type).toBe("invalid_duration");
      expect((error as EngineError).message).toContain(JSON.stringify(text));
    },
  );
});
