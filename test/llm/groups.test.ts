import { describe, expect, it } from "vitest";
import { allGroups, groupNamed, readGroupSettings } from "../../src/llm/groups";
import { readRoutingDefaults } from "../../src/llm/routing-defaults";

describe("groups and routing settings", () => {
  it("reads LLM_GROUPS as JSON text or as the array itself, naming each bad field", () => {
    const groups = [{ name: "fast", members: [{ provider: "a", model: "m", weight: 2 }], policy: "least_latency" }];
    expect(readGroupSettings(JSON.stringify(groups))).toEqual({ groups });
    expect(readGroupSettings(groups)).toEqual({ groups });
    expect(readGroupSettings([{ name: "x", members: [] }]).error).toBe("LLM_GROUPS is invalid: LLM_GROUPS[0].members: a group needs at least one member");
    expect(readGroupSettings([...groups, ...groups]).error).toContain('LLM_GROUPS[1].name: "fast" is already another group\'s name');
  });

  it("lists configured groups first, hiding a registered group of the same name", () => {
    const registered = [{ name: "fast", members: [{ provider: "b", model: "m" }], source: "api" as const, created_at: 1, updated_at: 1 }];
    const merged = allGroups([{ name: "fast", members: [{ provider: "a", model: "m" }] }], [...registered, { ...registered[0]!, name: "slow" }]);
    expect(merged.map((g) => [g.name, g.source])).toEqual([
      ["fast", "config"],
      ["slow", "api"],
    ]);
    expect(groupNamed("group:fast")).toBe("fast");
    expect(groupNamed("gpt-4o")).toBeUndefined();
  });

  it("defaults to priority, 3 failures and 30 s, and refuses a policy it does not know", () => {
    expect(readRoutingDefaults({})).toEqual({ policy: "priority", allowedFails: 3, cooldownMs: 30_000 });
    expect(readRoutingDefaults({ ROUTING_POLICY: "least_busy", ROUTING_ALLOWED_FAILS: "5", ROUTING_COOLDOWN_S: "2.5" })).toEqual({ policy: "least_busy", allowedFails: 5, cooldownMs: 2500 });
    expect(readRoutingDefaults({ ROUTING_POLICY: "fastest" }).error).toContain('ROUTING_POLICY "fastest" is not a routing policy');
  });
});
