import { describe, expect, it } from "vitest";
import { HEALTHY, type BackendHealth } from "../../src/llm/health";
import { POLICIES, type PolicyContext } from "../../src/llm/policies";
import type { Candidate } from "../../src/llm/pool";
import { providerView } from "./catalog";

const NOW = 1_000_000;

function candidate(name: string, options: { weight?: number; context?: number } = {}): Candidate {
  const info = { id: "m", capabilities: ["chat" as const], ...(options.context ? { context_length: options.context } : {}) };
  return { provider: providerView(name, { models: [info] }), model: "m", weight: options.weight ?? 1, info };
}

function context(health: Record<string, Partial<BackendHealth>> = {}, draws: number[] = [0]): PolicyContext & { turns: number } {
  let turns = 0;
  let draw = 0;
  return {
    get turns() {
      return turns;
    },
    health: (provider) => ({ ...HEALTHY, ...health[provider] }),
    turn: () => turns++,
    random: () => draws[draw++ % draws.length]!,
    now: NOW,
  };
}

const names = (candidates: Candidate[]) => candidates.map((c) => c.provider.name);
const abc = [candidate("a"), candidate("b"), candidate("c")];

describe("routing policies", () => {
  it("priority tries the candidates as declared", () => {
    expect(names(POLICIES.priority(abc, context()))).toEqual(["a", "b", "c"]);
  });

  it("round_robin starts one further at each call", () => {
    const ctx = context();
    const firsts = Array.from({ length: 4 }, () => names(POLICIES.round_robin(abc, ctx))[0]);
    expect(firsts).toEqual(["a", "b", "c", "a"]);
    expect(names(POLICIES.round_robin(abc, context()))).toEqual(["a", "b", "c"]);
  });

  it("random draws by weight, and every candidate stays in the order as failover", () => {
    const weighted = [candidate("light", { weight: 1 }), candidate("heavy", { weight: 3 })];
    // Of the total weight 4, a draw of 0.2 is 0.8: within light's share of 1; 0.3 is 1.2: in heavy's.
    expect(names(POLICIES.random(weighted, context({}, [0.2])))).toEqual(["light", "heavy"]);
    expect(names(POLICIES.random(weighted, context({}, [0.3])))).toEqual(["heavy", "light"]);
    const counts = { light: 0, heavy: 0 };
    const ctx = context({}, Array.from({ length: 1000 }, (_, i) => i / 1000));
    for (let i = 0; i < 1000; i++) counts[names(POLICIES.random(weighted, ctx))[0] as "light" | "heavy"] += 1;
    expect(counts.heavy).toBeGreaterThan(counts.light * 2.5);
  });

  it("least_busy prefers the fewest calls in flight", () => {
    const ctx = context({ a: { in_flight: 4 }, b: { in_flight: 0 }, c: { in_flight: 2 } });
    expect(names(POLICIES.least_busy(abc, ctx))).toEqual(["b", "c", "a"]);
  });

  it("least_latency prefers the lowest average, after any backend not yet (or not recently) measured", () => {
    const ctx = context({ a: { latency_ms: 250, latency_at: NOW }, b: { latency_ms: 40, latency_at: NOW }, c: { latency_ms: 10, latency_at: NOW - 120_000 } });
    expect(names(POLICIES.least_latency(abc, ctx))).toEqual(["c", "b", "a"]);
    const measured = context({ a: { latency_ms: 250, latency_at: NOW }, b: { latency_ms: 40, latency_at: NOW }, c: { latency_ms: 90, latency_at: NOW } });
    expect(names(POLICIES.least_latency(abc, measured))).toEqual(["b", "c", "a"]);
  });

  it("highest_context prefers the largest context window, unknown ones last", () => {
    const pool = [candidate("small", { context: 4096 }), candidate("unknown"), candidate("big", { context: 131_072 })];
    expect(names(POLICIES.highest_context(pool, context()))).toEqual(["big", "small", "unknown"]);
  });
});
