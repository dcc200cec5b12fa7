/**
 * Per-step overhead of durable execution: a chain of 1,000 `noop` steps run by the ChainRun
 * Durable Object on a real `wrangler dev` (state and step record written to SQLite after every
 * step, summary synced to D1), against the same chain run by the pure engine in memory in this
 * process (the baseline). Prints ms/step for both and their ratio; the last line is one JSON object.
 *
 *   npx tsx bench/steps.ts [--steps 1000] [--runs 3]
 */
import { runToEnd } from "../src/engine/step";
import type { Chain } from "../src/engine/chain";
import type { Effects } from "../src/engine/effects";
import { startDevServer } from "../test/e2e/dev-server";

const args = new Map(process.argv.slice(2).flatMap((a, i, all) => (a.startsWith("--") ? [[a.slice(2), all[i + 1] ?? ""]] : [])));
const STEPS = Number(args.get("steps") ?? 1000);
const RUNS = Number(args.get("runs") ?? 3);
const KEY = "bench-key";

const chain: Chain = {
  id: "noop-loop",
  max_steps: STEPS + 1,
  tasks: [
    {
      id: "spin",
      handler: "noop",
      transition: {
        branches: [
          { operator: "edge_traversed_at_least", edge: "spin->spin", when: String(STEPS - 1), goto: "end" },
          { operator: "default", when: "", goto: "spin" },
        ],
      },
    },
  ],
};

const inert: Effects = {
  llm: { chat: async () => Promise.reject(new Error("no LLM in this bench")) },
  embeddings: { embed: async () => Promise.reject(new Error("no embeddings in this bench")) },
  tools: { list: async () => [], missing: async (g) => g, call: async () => ({ error: "no tools" }) },
  sandbox: { run: async () => Promise.reject(new Error("no sandbox in this bench")) },
  clock: { now: () => Date.now() },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function inMemory(): Promise<number> {
  const started = performance.now();
  const { state } = await runToEnd(chain, { run_id: "bench", input: "x" }, inert, { toolNames: [], defaults: {} });
  if (state.status !== "succeeded" || state.step_count !== STEPS) throw new Error(`in-memory run ended ${state.status} after ${state.step_count} steps`);
  return performance.now() - started;
}

async function durable(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/runs?wait=true&timeout_ms=600000`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ chain, input: "x" }),
  });
  const run = (await res.json()) as { status: string; step_count: number };
  if (run.status !== "succeeded" || run.step_count !== STEPS) throw new Error(`durable run ended ${run.status} after ${run.step_count} steps`);
  return performance.now() - started;
}

const server = await startDevServer({ vars: { API_KEYS: KEY } });
try {
  await durable(server.url); // warm-up: first DO, first D1 statements
  await inMemory();
  const mem: number[] = [];
  const dur: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    mem.push(await inMemory());
    dur.push(await durable(server.url));
  }
  const memPerStep = median(mem) / STEPS;
  const durPerStep = median(dur) / STEPS;
  console.log(`chain of ${STEPS} noop steps, median of ${RUNS} runs`);
  console.log(`  engine in memory (baseline): ${median(mem).toFixed(1)} ms total, ${memPerStep.toFixed(4)} ms/step`);
  console.log(`  durable ChainRun DO:          ${median(dur).toFixed(1)} ms total, ${durPerStep.toFixed(3)} ms/step`);
  console.log(`  durable / in-memory:          ${(durPerStep / memPerStep).toFixed(1)}x (persistence + D1 sync per step: ${(durPerStep - memPerStep).toFixed(3)} ms/step)`);
  const round = (n: number, digits: number) => Number(n.toFixed(digits));
  console.log(
    JSON.stringify({
      bench: "steps",
      steps: STEPS,
      runs: RUNS,
      durable_ms_per_step: round(durPerStep, 3),
      in_memory_ms_per_step: round(memPerStep, 4),
      ratio_to_in_memory: round(durPerStep / memPerStep, 1),
    }),
  );
} finally {
  await server.stop();
}
