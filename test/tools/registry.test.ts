import { describe, expect, it } from "vitest";
import { toolRegistry } from "../../src/tools/registry";
import type { ApprovalGate, ToolEntry } from "../../src/tools/types";

const ctx = { runId: "r", taskId: "t", idempotencyKey: "r:0:c1" };

function entry(name: string, service: string, extra: Partial<ToolEntry> = {}): ToolEntry & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    service,
    spec: { name, parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false } },
    call: async (args) => {
      calls.push(args);
      return { ok: true };
    },
    ...extra,
  };
}

describe("toolRegistry", () => {
  it("lists by grant and reports granted names nobody provides", async () => {
    const registry = toolRegistry([{ entries: async () => [entry("svc__a", "svc"), entry("svc__b", "svc"), entry("solo", "x")] }]);
    expect((await registry.list(["svc", "!svc__b"])).map((t) => t.name)).toEqual(["svc__a"]);
    expect(await registry.missing(["svc", "solo", "ghost", "*", "!other"])).toEqual(["ghost"]);
  });

  it("checks arguments against the schema before calling, saying what is wrong", async () => {
    const weather = entry("weather", "w");
    const registry = toolRegistry([{ entries: async () => [weather] }]);
    expect(await registry.call("weather", { town: "Oslo" }, ctx)).toEqual({
      error: 'the arguments for tool "weather" do not fit its schema: city: is required; town: is not a known argument (known: city). Correct them and call the tool again.',
      invalid_arguments: [
        { path: "city", message: "is required" },
        { path: "town", message: "is not a known argument (known: city)" },
      ],
    });
    expect(weather.calls).toEqual([]);
    expect(await registry.call("weather", { city: "Oslo" }, ctx)).toEqual({ ok: true });
  });

  it("takes missing arguments as an empty object", async () => {
    const noArgs = entry("ping", "p", { spec: { name: "ping", parameters: { type: "object", properties: {}, additionalProperties: false } } });
    const registry = toolRegistry([{ entries: async () => [noArgs] }]);
    expect(await registry.call("ping", undefined, ctx)).toEqual({ ok: true });
    expect(noArgs.calls).toEqual([{}]);
  });

  it("runs a tool that needs approval only when the gate says so, and answers with the gate's result otherwise", async () => {
    const risky = entry("risky", "r", { requires_approval: true });
    const decisions = new Map<string, boolean>([["r:0:yes", true]]);
    const gate: ApprovalGate = (_, c) => (decisions.get(c.idempotencyKey) ? { run: true } : { run: false, result: "denied by a reviewer" });
    const gated = toolRegistry([{ entries: async () => [risky] }], { approvals: gate });
    expect(await gated.call("risky", { city: "x" }, { ...ctx, idempotencyKey: "r:0:no" })).toBe("denied by a reviewer");
    expect(await gated.call("risky", { city: "x" }, { ...ctx, idempotencyKey: "r:0:yes" })).toEqual({ ok: true });
    expect(risky.calls).toHaveLength(1);

    const ungated = toolRegistry([{ entries: async () => [risky] }]);
    expect(await ungated.call("risky", { city: "x" }, ctx)).toMatchObject({ error: expect.stringContaining("needs a human's approval") });
    expect(risky.calls).toHaveLength(1);
  });

  it("turns a throwing tool into { error } and retries a failed load on the next use", async () => {
    let loads = 0;
    const registry = toolRegistry([
      {
        entries: async () => {
          if (++loads === 1) throw new Error("D1 unavailable");
          return [entry("boom", "b", { call: async () => Promise.reject(new Error("kaput")) })];
        },
      },
    ]);
    await expect(registry.list(["*"])).rejects.toThrow("D1 unavailable");
    expect(await registry.call("boom", { city: "x" }, ctx)).toEqual({ error: "kaput" });
    expect(await registry.call("nope", {}, ctx)).toEqual({ error: 'No tool named "nope" is available.' });
  });
});
