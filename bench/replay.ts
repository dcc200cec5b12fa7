/**
 * Replay speed and the size of what it replays from. Two chains are run to 1,000 steps in memory
 * by the engine with instant in-process effects, recording every step as a run's object does
 * (records with their LLM calls, and the recorded effects); then the recorded run is replayed
 * (`replayRun`: the engine's step function over the record, calling nothing). The baseline is
 * the in-memory run itself. Prints the time of each, the ratio, µs/step, and the recorded bytes
 * per step (JSON, as the run's SQLite stores them), the share of the LLM calls among them.
 *
 * - `pipeline`: ask (LLM) → lookup (tool hook) → compute (run_js) → check (print), looping; every
 *   step's effects are small and independent of the run's length.
 * - `tool-loop`: chat (LLM with tools) → run_tools, looping; each chat step sends the whole
 *   conversation so far, so records (and replay's comparisons) grow with the run.
 *
 *   npx tsx bench/replay.ts [--steps 1000] [--runs 5]
 */
import type { Chain } from "../src/engine/chain";
import type { ChatMessage } from "../src/engine/chat";
import type { Effects } from "../src/engine/effects";
import { replayRun } from "../src/engine/replay";
import { initialState, runToEnd, type StepRun } from "../src/engine/step";

const args = new Map(process.argv.slice(2).flatMap((a, i, all) => (a.startsWith("--") ? [[a.slice(2), all[i + 1] ?? ""]] : [])));
const STEPS = Number(args.get("steps") ?? 1000);
const RUNS = Number(args.get("runs") ?? 5);
const ENV = { toolNames: [], defaults: { model: "bench-model", provider: "bench" }, maxSteps: STEPS + 10 };
const USAGE = { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 };

const loopUntil = (edge: string, rounds: number, goto: string) => ({
  branches: [
    { operator: "edge_traversed_at_least" as const, edge, when: String(rounds), goto: "end" },
    { operator: "default" as const, when: "", goto },
  ],
});

const pipeline: Chain = {
  id: "pipeline",
  max_steps: STEPS + 10,
  tasks: [
    { id: "ask", handler: "prompt_to_string", system_instruction: "Round {{edge_count:check->ask}}. Name a city.", prompt_template: "{{.input}}", execute_config: { model: "{{var:model}}", provider: "{{var:provider}}" }, transition: { branches: [{ operator: "default", when: "", goto: "lookup" }] } },
    { id: "lookup", handler: "hook", hook: { name: "weather", tool_name: "weather", args: { city: "{{.ask}}" } }, transition: { branches: [{ operator: "default", when: "", goto: "compute" }] } },
    { id: "compute", handler: "run_js", execute_config: { code: "return { celsius: 21 }" }, transition: { branches: [{ operator: "default", when: "", goto: "check" }] } },
    { id: "check", handler: "print", print: "{{.compute.ok}}", transition: loopUntil("check->ask", STEPS / 4 - 1, "ask") },
  ],
};

const toolLoop: Chain = {
  id: "tool-loop",
  max_steps: STEPS + 10,
  tasks: [
    { id: "chat", handler: "chat_completion", system_instruction: "Use the tools. Rounds used: {{edge_count:chat->tools}}.", execute_config: { model: "{{var:model}}", provider: "{{var:provider}}", tools: ["weather"] }, transition: { branches: [{ operator: "equals", when: "tool-call", goto: "tools" }, { operator: "default", when: "", goto: "end" }] } },
    { id: "tools", handler: "execute_tool_calls", input_var: "chat", transition: loopUntil("chat->tools", STEPS / 2, "chat") },
  ],
};

/** Instant effects: the model names a city or calls the weather tool, the tool and the sandbox answer at once. */
function instant(): Effects {
  let calls = 0;
  const weather = { name: "weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } } } };
  return {
    llm: {
      chat: async (request) => {
        calls += 1;
        const message: ChatMessage = request.tools
          ? { role: "assistant", content: null, tool_calls: [{ id: `c${calls}`, type: "function", function: { name: "weather", arguments: JSON.stringify({ city: `city-${calls}` }) } }] }
          : { role: "assistant", content: `city-${calls}` };
        return { message, model: "bench-model", provider: "bench", usage: USAGE, finish_reason: request.tools ? "tool_calls" : "stop" };
      },
    },
    embeddings: { embed: async () => ({ vectors: [[1, 0]], model: "bench-embed", dimensions: 2, usage: { prompt_tokens: 1, total_tokens: 1 } }) },
    tools: {
      list: async () => [weather],
      missing: async () => [],
      call: async (_name, input) => ({ city: (input as { city: string }).city, celsius: 21, conditions: "clear" }),
    },
    sandbox: { run: async (code) => ({ ok: true, result: { celsius: 21 }, logs: [], calls: [], code, duration_ms: 1 }) },
    clock: { now: () => 1_700_000_000_000 },
  };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function record(chain: Chain): Promise<{ ms: number; steps: StepRun[] }> {
  const started = performance.now();
  const { state, steps } = await runToEnd(chain, { run_id: "bench", input: "Plan a trip" }, instant(), ENV, { random: () => 0.5 });
  const ms = performance.now() - started;
  if (state.status !== "succeeded") throw new Error(`${chain.id} ended ${state.status}: ${state.error?.message}`);
  return { ms, steps };
}

async function replay(chain: Chain, steps: StepRun[]): Promise<number> {
  const started = performance.now();
  const report = await replayRun({ chain, state: initialState(chain, { run_id: "bench", input: "Plan a trip" }), steps: steps.map(({ record, effects }) => ({ record, effects })) });
  const ms = performance.now() - started;
  if (!report.replayable || report.diverged || report.steps.length !== steps.length) throw new Error(`${chain.id} replayed wrongly: ${JSON.stringify(report.first_divergence ?? report.reason)}`);
  return ms;
}

const results: Record<string, { steps: number; run_ms: number; replay_ms: number; ratio: number; replay_us_per_step: number; record_bytes_per_step: number; llm_calls_bytes_per_step: number; effects_bytes_per_step: number }> = {};
for (const chain of [pipeline, toolLoop]) {
  await record(chain); // warm-up
  const runs: number[] = [];
  const replays: number[] = [];
  let steps: StepRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    const recorded = await record(chain);
    runs.push(recorded.ms);
    steps = recorded.steps;
    replays.push(await replay(chain, steps));
  }
  const recordBytes = steps.reduce((sum, step) => sum + JSON.stringify(step.record).length, 0);
  const effectBytes = steps.reduce((sum, step) => sum + JSON.stringify(step.effects).length, 0);
  const callBytes = steps.reduce((sum, step) => sum + (step.record.llm_calls ? JSON.stringify(step.record.llm_calls).length : 0), 0);
  const run = median(runs);
  const replayed = median(replays);
  results[chain.id] = {
    steps: steps.length,
    run_ms: Number(run.toFixed(1)),
    replay_ms: Number(replayed.toFixed(1)),
    ratio: Number((replayed / run).toFixed(2)),
    replay_us_per_step: Number(((replayed * 1000) / steps.length).toFixed(1)),
    record_bytes_per_step: Math.round(recordBytes / steps.length),
    llm_calls_bytes_per_step: Math.round(callBytes / steps.length),
    effects_bytes_per_step: Math.round(effectBytes / steps.length),
  };
  console.log(`${chain.id}: ${steps.length} steps, median of ${RUNS}`);
  console.log(`  run in memory, recording (baseline): ${run.toFixed(1)} ms`);
  console.log(`  replay from the record:              ${replayed.toFixed(1)} ms (${(replayed / run).toFixed(2)}x, ${((replayed * 1000) / steps.length).toFixed(1)} µs/step)`);
  console.log(`  recorded per step: ${Math.round(recordBytes / steps.length)} bytes of step record (${Math.round(callBytes / steps.length)} of them its llm_calls) + ${Math.round(effectBytes / steps.length)} bytes of effects`);
}
console.log(JSON.stringify({ bench: "replay", ...results }));
