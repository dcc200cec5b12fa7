import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, resolveLimits } from "../../src/sandbox/limits";

describe("resolveLimits", () => {
  it("gives the safe defaults when a chain sets no limits", () => {
    expect(resolveLimits(undefined)).toEqual({
      ok: true,
      limits: {
        wall_ms: 30_000,
        cpu_ms: 5_000,
        max_calls: 100,
        max_arg_bytes: 262_144,
        max_result_bytes: 1_048_576,
        max_log_bytes: 65_536,
        max_ticks: 20_000_000,
        max_response_bytes: 1_048_576,
        max_alloc_bytes: 268_435_456,
      },
    });
    expect(resolveLimits(null)).toEqual({ ok: true, limits: DEFAULT_LIMITS });
  });

  it("merges a chain's overrides over the defaults", () => {
    expect(resolveLimits({ wall_ms: 5_000, max_calls: 3 })).toEqual({
      ok: true,
      limits: { ...DEFAULT_LIMITS, wall_ms: 5_000, max_calls: 3 },
    });
  });

  it("names an unknown field", () => {
    expect(resolveLimits({ wall_time: 5 })).toEqual({
      ok: false,
      error: expect.stringMatching(/^execute_config\.limits\.wall_time is not a sandbox limit \(known: wall_ms, cpu_ms, /),
    });
  });

  it.each([
    [{ wall_ms: "30s" }, 'execute_config.limits.wall_ms must be a whole number from 1 to 300000 (got "30s")'],
    [{ max_calls: 0 }, "execute_config.limits.max_calls must be a whole number from 1 to 10000 (got 0)"],
    [{ max_calls: -1 }, "execute_config.limits.max_calls must be a whole number from 1 to 10000 (got -1)"],
    [{ cpu_ms: 1.5 }, "execute_config.limits.cpu_ms must be a whole number from 1 to 300000 (got 1.5)"],
    [{ max_ticks: 1e12 }, "execute_config.limits.max_ticks must be a whole number from 1 to 2000000000 (got 1000000000000)"],
    [{ max_log_bytes: null }, "execute_config.limits.max_log_bytes must be a whole number from 1 to 4194304 (got null)"],
  ])("names the bad field and value in %j", (raw, error) => {
    expect(resolveLimits(raw)).toEqual({ ok: false, error });
  });

  it("refuses limits that are not an object", () => {
    expect(resolveLimits([1])).toMatchObject({ ok: false, error: expect.stringMatching(/^execute_config\.limits must be an object/) });
    expect(resolveLimits(5)).toMatchObject({ ok: false });
  });

  it("uses the path it is given in its errors", () => {
    expect(resolveLimits({ x: 1 }, "tasks[2].execute_config.limits")).toMatchObject({
      error: expect.stringMatching(/^tasks\[2\]\.execute_config\.limits\.x /),
    });
  });
});
