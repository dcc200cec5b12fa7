/**
 * How much latency the OpenAI-compatible endpoint adds on top of the provider behind it, and how
 * that compares with the floor: the least a Worker of the same shape adds (bench/worker/floor.ts:
 * a fresh Durable Object per request, one SQLite row, the provider's reply proxied). Starts the
 * scripted mock LLM, a real `wrangler dev` of Switchyard and one of the bench Worker on
 * 127.0.0.1, then sends requests one at a time, in interleaved rounds (one request to each
 * target per round, so load on a shared machine falls on all alike):
 *
 * - completion: a non-streaming request's total time. Switchyard streams every reply from the
 *   provider, with usage, and the mock spaces streamed frames (as a model generating tokens
 *   would), so the direct baseline is the time the mock takes to stream the whole reply asked
 *   that way; the floor asks the same.
 * - stream: the time to the first content token of a streaming request.
 *
 * Prints the median and p95 of each target, what the floor and the endpoint add over the direct
 * call, and the endpoint's added time over the floor's; the last line is one JSON object.
 *
 *   npx tsx bench/openai-latency.ts [--requests 40] [--warmup 5]
 */
import { parseArgs } from "node:util";
import { startDevServer } from "../test/e2e/dev-server";
import { startMockLLM } from "../test/mocks/llm-server";
import { startBenchWorker } from "./bench-worker";

const { values } = parseArgs({ options: { requests: { type: "string", default: "40" }, warmup: { type: "string", default: "5" } } });
const REQUESTS = Math.min(Math.max(Number(values.requests) || 40, 1), 500);
const WARMUP = Math.min(Math.max(Number(values.warmup) || 0, 0), 50);

const API_KEY = "bench-key";
const MODEL = "bench-model";
const CHAIN = "bench-chat";
const ANSWER = "The quick brown fox jumps.";
/** Several frames with a gap between them, so time-to-first-token differs from total time. */
const REPLY = { chunks: ["The", " quick", " brown", " fox", " jumps."], chunk_delay_ms: 10, usage: { prompt_tokens: 12, completion_tokens: 5 } };

interface Target {
  url: string;
  headers: Record<string, string>;
  model: string;
}

async function timeCompletion(target: Target): Promise<number> {
  const started = performance.now();
  const res = await fetch(target.url, { method: "POST", headers: target.headers, body: JSON.stringify({ model: target.model, messages: [{ role: "user", content: "Go" }] }) });
  const body = (await res.json()) as { choices?: Array<{ message: { content: string } }> };
  if (!res.ok || body.choices?.[0]?.message.content !== ANSWER) throw new Error(`unexpected answer ${res.status}: ${JSON.stringify(body)}`);
  return performance.now() - started;
}

/** Milliseconds until the first frame carrying content arrives, and until the stream ends. */
async function timeStream(target: Target, usage = false): Promise<{ firstToken: number; total: number }> {
  const started = performance.now();
  const request = { model: target.model, messages: [{ role: "user", content: "Go" }], stream: true, ...(usage ? { stream_options: { include_usage: true } } : {}) };
  const res = await fetch(target.url, { method: "POST", headers: target.headers, body: JSON.stringify(request) });
  if (!res.ok || !res.body) throw new Error(`stream failed with ${res.status}: ${await res.text()}`);
  const decoder = new TextDecoder();
  let text = "";
  let firstToken: number | undefined;
  for await (const bytes of res.body) {
    text += decoder.decode(bytes, { stream: true });
    if (firstToken === undefined && /"content":"[^"]/.test(text)) firstToken = performance.now() - started;
  }
  if (firstToken === undefined || !text.includes("[DONE]")) throw new Error(`stream ended without content: ${text}`);
  return { firstToken, total: performance.now() - started };
}

type Case = Record<"direct" | "floor" | "endpoint", () => Promise<number>>;

/** Each target's times (sorted), one request to each per round, after the warm-up rounds. */
async function interleaved(measures: Case): Promise<Record<keyof Case, number[]>> {
  const times: Record<keyof Case, number[]> = { direct: [], floor: [], endpoint: [] };
  for (let round = -WARMUP; round < REQUESTS; round++) {
    for (const name of Object.keys(measures) as Array<keyof Case>) {
      const took = await measures[name]();
      if (round >= 0) times[name].push(took);
    }
  }
  for (const list of Object.values(times)) list.sort((a, b) => a - b);
  return times;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const llm = await startMockLLM();
llm.script(MODEL, [REPLY], { repeat: true });
const [server, bench] = await Promise.all([
  startDevServer({ vars: { API_KEYS: API_KEY, LLM_BASE_URL: llm.url, LLM_API_KEY: "mock-key", LLM_MODEL: MODEL } }),
  startBenchWorker({ UPSTREAM_URL: llm.url }),
]);
try {
  const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
  const chain = { id: CHAIN, tasks: [{ id: "chat", handler: "chat_completion", execute_config: { model: MODEL } }] };
  const registered = await fetch(`${server.url}/chains`, { method: "POST", headers, body: JSON.stringify(chain) });
  if (registered.status !== 201) throw new Error(`registering the bench chain failed: ${await registered.text()}`);

  const direct: Target = { url: `${llm.url}/chat/completions`, headers: { "content-type": "application/json" }, model: MODEL };
  const floor: Target = { url: `${bench.url}/floor/chat/completions`, headers: { "content-type": "application/json" }, model: MODEL };
  const endpoint: Target = { url: `${server.url}/v1/chat/completions`, headers, model: CHAIN };
  const cases = {
    completion: await interleaved({
      direct: async () => (await timeStream(direct, true)).total,
      floor: () => timeCompletion(floor),
      endpoint: () => timeCompletion(endpoint),
    }),
    first_token: await interleaved({
      direct: async () => (await timeStream(direct)).firstToken,
      floor: async () => (await timeStream(floor)).firstToken,
      endpoint: async () => (await timeStream(endpoint)).firstToken,
    }),
  };

  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const figures = Object.fromEntries(
    Object.entries(cases).map(([name, t]) => {
      const [direct, floor, endpoint] = [percentile(t.direct, 50), percentile(t.floor, 50), percentile(t.endpoint, 50)];
      return [name, { direct, floor, endpoint, floorAdded: floor - direct, added: endpoint - direct, p95: { direct: percentile(t.direct, 95), floor: percentile(t.floor, 95), endpoint: percentile(t.endpoint, 95) } }];
    }),
  ) as Record<keyof typeof cases, { direct: number; floor: number; endpoint: number; floorAdded: number; added: number; p95: Record<keyof Case, number> }>;
  const ratio = (f: { added: number; floorAdded: number }) => f.added / f.floorAdded;

  console.log(`\nOpenAI-compatible endpoint vs the floor (fresh Durable Object, one SQLite row, proxy) vs the provider called directly:`);
  console.log(`${REQUESTS} interleaved rounds (after ${WARMUP} warm-up), sequential requests, loopback\n`);
  console.table(
    Object.fromEntries(
      Object.entries(figures).map(([name, f]) => [
        name === "completion" ? "completion, total" : "stream, first token",
        {
          "direct median": ms(f.direct),
          "floor median": ms(f.floor),
          "endpoint median": ms(f.endpoint),
          "endpoint p95": ms(f.p95.endpoint),
          "floor adds": ms(f.floorAdded),
          "endpoint adds": ms(f.added),
          "endpoint / floor (added)": `${ratio(f).toFixed(2)}x`,
        },
      ]),
    ),
  );
  console.log("Each endpoint request is a full run: a Durable Object per request, its step recorded, the run listed in D1.");
  const round = (n: number) => Math.round(n * 10) / 10;
  const round2 = (n: number) => Math.round(n * 100) / 100;
  const { completion, first_token } = figures;
  console.log(
    JSON.stringify({
      bench: "openai-latency",
      requests: REQUESTS,
      direct_total_ms: round(completion.direct),
      floor_added_total_ms: round(completion.floorAdded),
      added_total_ms: round(completion.added),
      ratio_to_floor_total: round2(ratio(completion)),
      direct_first_token_ms: round(first_token.direct),
      floor_added_first_token_ms: round(first_token.floorAdded),
      added_first_token_ms: round(first_token.added),
      ratio_to_floor_first_token: round2(ratio(first_token)),
    }),
  );
} finally {
  await Promise.all([server.stop(), bench.stop()]);
  await llm.close();
}
