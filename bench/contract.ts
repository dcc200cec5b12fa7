/**
 * What the domain contract's gate adds to a tool call, besides the state read. The bundled
 * `orders` contract governs a tool registry of instant in-process tools (the state read answers
 * at once, so what is measured is the gate itself: the role check, the read's arguments and the
 * state taken from its result, the transition, every rule's CEL condition, and the decision
 * recorded in memory as a run's object records it). Each operation is called the same number of
 * times through the same registry without the gate (the baseline) and with it, interleaved;
 * the median per call of each, the overhead and the ratio are printed, and the one-time cost of
 * loading the contract (checking it and compiling its conditions).
 *
 * - `get_order`: no transition, no rule: the role check alone;
 * - `cancel_order`: a transition: the state read and the lifecycle check;
 * - `refund_order`: a transition and two rules over the arguments, the order's data and the role;
 * - `change_address`: a rule over the run's history (`history.exists(…)`, 50 earlier calls).
 *
 *   npx tsx bench/contract.ts [--calls 5000]
 */
import { readFileSync } from "node:fs";
import { contractGate, decideCall, isFailure, type Governance, type HistoryEntry } from "../src/contract/gate";
import { loadContract } from "../src/contract/load";
import type { ContractDecision } from "../src/engine/records";
import { toolRegistry } from "../src/tools/registry";
import type { ToolEntry, ToolRegistry } from "../src/tools/types";

const args = new Map(process.argv.slice(2).flatMap((a, i, all) => (a.startsWith("--") ? [[a.slice(2), all[i + 1] ?? ""]] : [])));
const CALLS = Number(args.get("calls") ?? 5000);

// The bundled file is JSONC text, which the check that loads a contract takes as well as values.
const orders = readFileSync(new URL("../contracts/orders.json", import.meta.url), "utf8");
const loadStarted = performance.now();
const loaded = loadContract({ version: 0, document: orders });
const loadMs = performance.now() - loadStarted;
if (!loaded.ok) throw new Error(loaded.error);
const contract = loaded.contract;

const ORDER = { order_id: "o-1", customer_id: "c-1", status: "paid", total: 250, items: ["desk"] };
const tool = (name: string, result: unknown): ToolEntry => ({ service: "shop", spec: { name, parameters: { type: "object" } }, call: async () => result });
const entries = [
  tool("shop__get_order", ORDER),
  tool("shop__cancel_order", { ...ORDER, status: "cancelled" }),
  tool("shop__refund_order", { ...ORDER, status: "refunded" }),
  tool("shop__change_address", { customer_id: "c-1", address: "x" }),
];

/** Decides and records like a run's object, in memory: decisions numbered, successes kept as history. */
function memoryGovernance(role: string, history: HistoryEntry[]): Governance {
  const decisions: ContractDecision[] = [];
  return {
    async decide(call, read) {
      const decision = { seq: decisions.length + 1, ...(await decideCall(contract, call, { role, history, read, now: Date.now() })) };
      decisions.push(decision);
      return decision;
    },
    async settle(decision, result) {
      decisions[decision.seq - 1] = { ...decision, outcome: isFailure(result) ? "error" : "ok" };
    },
  };
}

const history: HistoryEntry[] = Array.from({ length: 50 }, (_, i) => ({ tool: "shop__get_order", args: { order_id: `o-${i}` }, result: ORDER }));
history.push({ tool: "shop__verify_identity", args: { customer_id: "c-1", code: "1234" }, result: { customer_id: "c-1", verified: true } });
const ungated = toolRegistry([{ entries: async () => entries }]);
const gated = toolRegistry([{ entries: async () => entries }], { gate: contractGate(memoryGovernance("manager", history)) });
const ctx = { runId: "bench", taskId: "run_js", idempotencyKey: "bench" };

const OPERATIONS: Array<[string, Record<string, unknown>]> = [
  ["shop__get_order", { order_id: "o-1" }],
  ["shop__cancel_order", { order_id: "o-1" }],
  ["shop__refund_order", { order_id: "o-1", amount: 150 }],
  ["shop__change_address", { customer_id: "c-1", address: "1 Bench Street" }],
];

async function time(registry: ToolRegistry, name: string, callArgs: unknown): Promise<number> {
  const started = performance.now();
  const result = await registry.call(name, callArgs, ctx);
  const elapsed = performance.now() - started;
  if (isFailure(result)) throw new Error(`${name} was refused: ${JSON.stringify(result)}`);
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const us = (ms: number) => Number((ms * 1000).toFixed(2));

const results: Record<string, { ungated_us: number; gated_us: number; overhead_us: number; ratio: number }> = {};
console.log(`contract "orders" loaded (checked, conditions compiled) in ${loadMs.toFixed(2)} ms; ${CALLS} calls per operation, median per call:`);
for (const [name, callArgs] of OPERATIONS) {
  for (let i = 0; i < 200; i++) await Promise.all([time(ungated, name, callArgs), time(gated, name, callArgs)]); // warm-up
  const plain: number[] = [];
  const governed: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    plain.push(await time(ungated, name, callArgs));
    governed.push(await time(gated, name, callArgs));
  }
  const base = median(plain);
  const gate = median(governed);
  results[name] = { ungated_us: us(base), gated_us: us(gate), overhead_us: us(gate - base), ratio: Number((gate / base).toFixed(2)) };
  console.log(`  ${name.padEnd(22)} ungated ${us(base).toFixed(2)} µs, gated ${us(gate).toFixed(2)} µs: +${us(gate - base).toFixed(2)} µs (${(gate / base).toFixed(2)}x)`);
}
const worst = Math.max(...Object.values(results).map((r) => r.overhead_us));
console.log(`largest overhead per call: ${worst.toFixed(2)} µs (budget: 1000 µs)`);
console.log(JSON.stringify({ bench: "contract", calls: CALLS, load_ms: Number(loadMs.toFixed(2)), operations: results, max_overhead_us: worst }));
