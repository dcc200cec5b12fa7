import { describe, expect, it } from "vitest";
import { readSandboxConfig } from "../../src/sandbox/task-settings";
import { DEFAULT_LIMITS } from "../../src/sandbox/limits";

describe("readSandboxConfig", () => {
  it("reads defaults and no allow-list from an empty execute_config", () => {
    expect(readSandboxConfig(undefined)).toEqual({ ok: true, config: { limits: DEFAULT_LIMITS } });
  });

  it("reads limits and a valid egress allow-list", () => {
    expect(readSandboxConfig({ limits: { max_calls: 5 }, egress_allow: ["api.example.com", "*.cdn.io:443"] })).toEqual({
      ok: true,
      config: { limits: { ...DEFAULT_LIMITS, max_calls: 5 }, egress_allow: ["api.example.com", "*.cdn.io:443"] },
    });
  });

  it("passes a limits error through", () => {
    expect(readSandboxConfig({ limits: { max_calls: "many" } })).toMatchObject({
      ok: false,
      error: expect.stringContaining("execute_config.limits.max_calls"),
    });
  });

  it("names egress_allow entries that are not host[:port]", () => {
    expect(readSandboxConfig({ egress_allow: ["ok.com", "https://x.com/path"] })).toEqual({
      ok: false,
      error: 'execute_config.egress_allow has entries that are not host[:port]: "https://x.com/path"',
    });
  });

  it("refuses an egress_allow that is not a list of strings", () => {
    expect(readSandboxConfig({ egress_allow: "api.example.com" })).toEqual({
      ok: false,
      error: "execute_config.egress_allow must be a list of host[:port] strings",
    });
  });
});
