/**
 * Per-step overhead of durable execution: a chain of 1,000 `noop` steps run by the ChainRun
 * Durable Object on a real `wrangler dev` (state and step record written to SQLite after every
 * step, summary synced to D1), against the same chain run by the pure engine in memory in this
 * process (the baseline), and against the system users would otherwise pick for durable agent
 * graphs: a LangGraph.js graph of one node looping on itself as many times, in this process,
 * with no persistence at all and with its in-memory checkpointer (its SQLite checkpointer needs
 * a native addon, which this project does not install). Interleaved runs; prints ms/step for each
 * and the ratios; the last line is one JSON object.
 *
 *   npx tsx bench/steps.ts [--steps 1000] [--runs 3]
 */
import { runToEnd } from "../src/engine/step";
import type { Chain } from "../src/engine/chain";
import type { Effects } from "../src/engine/effects";
import { startDevServer } from "../test/e2e/dev-server";
import { Annotation, END, MemorySaver, START, StateGraph } from "@langchain/langgraph";

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

/** The same loop as a LangGraph graph: one node that counts, an edge back to it until the count is reached. */
function loopGraph(checkpointer?: MemorySaver) {
  const State = Annotation.Root({ count: Annotation<number>({ reducer: (_old, next) => next, default: () => 0 }) });
  return new StateGraph(State)
    .addNode("spin", (state) => ({ count: state.count + 1 }))
    .addEdge(START, "spin")
    .addConditionalEdges("spin", (state) => (state.count >= STEPS ? END : "spin"))
    .compile(checkpointer ? { checkpointer } : {});
}
const langGraphPlain = loopGraph();
const langGraphSaved = loopGraph(new MemorySaver());
let thread = 0;

async function langGraph(graph: ReturnType<typeof loopGraph>): Promise<number> {
  const started = performance.now();
  const state = await graph.invoke({ count: 0 }, { recursionLimit: STEPS + 1, configurable: { thread_id: `bench-${thread++}` } });
  if (state.count !== STEPS) throw new Error(`LangGraph run ended after ${state.count} steps`);
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
  await langGraph(langGraphPlain);
  await langGraph(langGraphSaved);
  const mem: number[] = [];
  const dur: number[] = [];
  const plain: number[] = [];
  const saved: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    mem.push(await inMemory());
    dur.push(await durable(server.url));
    plain.push(await langGraph(langGraphPlain));
    saved.push(await langGraph(langGraphSaved));
  }
  const perStep = (xs: number[]) => median(xs) / STEPS;
  const [memPerStep, durPerStep, plainPerStep, savedPerStep] = [perStep(mem), perStep(dur), perStep(plain), perStep(saved)];
  console.log(`chain of ${STEPS} noop steps, median of ${RUNS} runs`);
  console.log(`  engine in memory (baseline):            ${memPerStep.toFixed(4)} ms/step`);
  console.log(`  durable ChainRun DO:                     ${durPerStep.toFixed(3)} ms/step (${(durPerStep / memPerStep).toFixed(1)}x in memory: persistence + D1 sync ${(durPerStep - memPerStep).toFixed(3)} ms/step)`);
  console.log(`  LangGraph.js, no persistence:            ${plainPerStep.toFixed(3)} ms/step (durable Switchyard ${(plainPerStep / durPerStep).toFixed(1)}x faster)`);
  console.log(`  LangGraph.js, in-memory checkpointer:    ${savedPerStep.toFixed(3)} ms/step (durable Switchyard ${(savedPerStep / durPerStep).toFixed(1)}x faster)`);
  const round = (n: number, digits: number) => Number(n.toFixed(digits));
  console.log(
    JSON.stringify({
      bench: "steps",
      steps: STEPS,
      runs: RUNS,
      durable_ms_per_step: round(durPerStep, 3),
      in_memory_ms_per_step: round(memPerStep, 4),
      ratio_to_in_memory: round(durPerStep / memPerStep, 1),
      langgraph_ms_per_step: round(plainPerStep, 3),
      langgraph_checkpointed_ms_per_step: round(savedPerStep, 3),
      langgraph_over_durable: round(plainPerStep / durPerStep, 2),
    }),
  );
} finally {
  await server.stop();
}
