import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkContract } from "../../src/contract/check";
import { contractGate, decideCall, type DecideContext, type Governance, type HistoryEntry } from "../../src/contract/gate";
import { loadContract, type LoadedContract } from "../../src/contract/load";
import type { ContractDecision } from "../../src/engine/records";
import { toolRegistry } from "../../src/tools/registry";
import type { ToolEntry } from "../../src/tools/types";

const document = checkContract(readFileSync(new URL("../../contracts/orders.json", import.meta.url), "utf8")).contract!;
const orders = (() => {
  const loaded = loadContract({ version: 3, document });
  if (!loaded.ok) throw new Error(loaded.error);
  return loaded.contract;
})();

/** A system of record with orders by id; every read is counted. */
function shop(states: Record<string, { status: string; total: number }>) {
  const reads: unknown[] = [];
  const read: DecideContext["read"] = async (tool, args) => {
    reads.push({ tool, args });
    const order = states[String(args.order_id)];
    return order ? { order_id: args.order_id, ...order } : { error: `HTTP 404 Not Found: no order ${String(args.order_id)}` };
  };
  return { read, reads };
}

function decide(loaded: LoadedContract, tool: string, args: unknown, role = "agent", read: DecideContext["read"] = shop({}).read, history: HistoryEntry[] = []) {
  return decideCall(loaded, { task_id: "run_js", tool, args }, { role, history, read, now: 1000 });
}

describe("decideCall", () => {
  it("reads the entity's state fresh and refuses a transition the state does not allow", async () => {
    const { read, reads } = shop({ "o-1": { status: "shipped", total: 10 }, "o-2": { status: "placed", total: 10 } });
    const refused = await decide(orders, "shop__cancel_order", { order_id: "o-1" }, "agent", read);
    expect(refused).toMatchObject({
      allowed: false,
      rule: "lifecycle",
      message: "The order is shipped; shop__cancel_order moves it only from placed or paid (to cancelled).",
      entity: { name: "order", read: { tool: "shop__get_order", args: { order_id: "o-1" } }, state: "shipped" },
      contract: "orders",
      version: 3,
      role: "agent",
    });
    expect(await decide(orders, "shop__cancel_order", { order_id: "o-2" }, "agent", read)).toMatchObject({ allowed: true, entity: { state: "placed" } });
    expect(reads).toEqual([
      { tool: "shop__get_order", args: { order_id: "o-1" } },
      { tool: "shop__get_order", args: { order_id: "o-2" } },
    ]);
  });

  it("refuses when the state cannot be read, rather than guessing", async () => {
    const { read } = shop({});
    expect(await decide(orders, "shop__ship_order", { order_id: "o-9" }, "agent", read)).toMatchObject({ allowed: false, rule: "state_read", entity: { state: null, error: "HTTP 404 Not Found: no order o-9" } });
    expect(await decide(orders, "shop__ship_order", {}, "agent", read)).toMatchObject({ allowed: false, rule: "state_read", message: expect.stringContaining('argument "order_id" is missing') });
  });

  it("checks rules over the arguments, the entity's data and the caller's role", async () => {
    const { read } = shop({ "o-1": { status: "paid", total: 120 } });
    expect(await decide(orders, "shop__refund_order", { order_id: "o-1", amount: 150 }, "agent", read)).toMatchObject({ allowed: false, rule: "refund-limit" });
    expect(await decide(orders, "shop__refund_order", { order_id: "o-1", amount: 150 }, "manager", read)).toMatchObject({ allowed: false, rule: "refund-within-total" });
    expect(await decide(orders, "shop__refund_order", { order_id: "o-1", amount: 100 }, "agent", read)).toMatchObject({ allowed: true });
  });

  it("sees the calls that succeeded earlier in the run as history", async () => {
    const verified = { tool: "shop__verify_identity", args: { customer_id: "c-1", code: "1" }, result: { verified: true } };
    const change = { customer_id: "c-1", address: "x" };
    expect(await decide(orders, "shop__change_address", change)).toMatchObject({ allowed: false, rule: "verify-before-address-change" });
    expect(await decide(orders, "shop__change_address", change, "agent", undefined, [verified])).toMatchObject({ allowed: true });
    expect(await decide(orders, "shop__change_address", { ...change, customer_id: "c-2" }, "agent", undefined, [verified])).toMatchObject({ allowed: false });
  });

  it("refuses what a role may not use, and delete_customer for every role", async () => {
    expect(await decide(orders, "weather__get_weather", { city: "Oslo" }, "agent")).toMatchObject({ allowed: false, rule: "role", message: 'The role "agent" may not use weather__get_weather under contract "orders".' });
    expect(await decide(orders, "weather__get_weather", { city: "Oslo" }, "guest")).toMatchObject({ allowed: false, rule: "role" });
    expect(await decide(orders, "weather__get_weather", { city: "Oslo" }, "admin")).toMatchObject({ allowed: true });
    for (const role of ["agent", "manager", "admin"]) {
      expect(await decide(orders, "shop__delete_customer", { customer_id: "c-1" }, role)).toMatchObject({ allowed: false, rule: "never-delete-customers" });
    }
  });

  it("refuses a call a rule cannot be checked on, saying why", async () => {
    const { read } = shop({ "o-1": { status: "paid", total: 120 } });
    expect(await decide(orders, "shop__refund_order", { order_id: "o-1", amount: "lots" }, "manager", read)).toMatchObject({
      allowed: false,
      rule: "refund-within-total",
      message: expect.stringContaining("could not be checked on this call: no such overload"),
    });
  });
});

describe("contractGate in the tool registry", () => {
  it("answers a refused call with the violation and never reaches the service; an allowed one is settled with its result", async () => {
    const reached: unknown[] = [];
    const tool = (name: string): ToolEntry => ({
      service: "shop",
      spec: { name, parameters: { type: "object" } },
      call: async (args) => (reached.push([name, args]), name === "shop__get_order" ? { status: "shipped" } : { ok: true }),
    });
    const settled: Array<[ContractDecision, unknown]> = [];
    let seq = 0;
    const governance: Governance = {
      decide: async (call, read) => ({ seq: ++seq, ...(await decideCall(orders, call, { role: "agent", history: [], read, now: 0 })) }),
      settle: async (decision, result) => void settled.push([decision, result]),
    };
    const registry = toolRegistry([{ entries: async () => ["shop__get_order", "shop__cancel_order", "shop__get_customer"].map(tool) }], { gate: contractGate(governance) });
    const ctx = { runId: "r", taskId: "t", idempotencyKey: "k" };

    expect(await registry.call("shop__cancel_order", { order_id: "o-1" }, ctx)).toEqual({ error: { type: "contract_violation", rule: "lifecycle", message: expect.stringContaining("is shipped") } });
    expect(reached).toEqual([["shop__get_order", { order_id: "o-1" }]]);
    expect(await registry.call("shop__get_customer", { customer_id: "c-1" }, ctx)).toEqual({ ok: true });
    expect(settled.map(([d, result]) => [d.tool, d.allowed, result])).toEqual([["shop__get_customer", true, { ok: true }]]);
  });
});
