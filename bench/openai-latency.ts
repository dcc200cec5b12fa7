/**
 * How much latency the OpenAI-compatible endpoint adds on top of the provider behind it.
 * Starts the scripted mock LLM and a real `wrangler dev` on 127.0.0.1, then sends requests one
 * at a time through Switchyard's `/v1/chat/completions` (a one-task chat chain whose model is
 * the mock) and, as the baseline, straight to the mock. Prints the median and p95 of each, what
 * the endpoint adds, and the ratio.
 *
 * - completion: a non-streaming request's total time. Switchyard streams every reply from the
 *   provider, and the mock spaces streamed frames (as a model generating tokens would) but sends
 *   a non-streamed reply at once, so the baseline is the time the mock takes to stream the
 *   whole reply.
 * - stream: the time to the first content token of a streaming request, against the same from
 *   the mock.
 *
 *   npx tsx bench/openai-latency.ts [--requests 40] [--warmup 5]
 */
import { parseArgs } from "node:util";
import { startDevServer } from "../test/e2e/dev-server";
import { startMockLLM } from "../test/mocks/llm-server";

const { values } = parseArgs({ options: { requests: { type: "string", default: "40" }, warmup: { type: "string", default: "5" } } });
const REQUESTS = Math.min(Math.max(Number(values.requests) || 40, 1), 500);
const WARMUP = Math.min(Math.max(Number(values.warmup) || 0, 0), 50);

const API_KEY = "bench-key";
const MODEL = "bench-model";
const CHAIN = "bench-chat";
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
  if (!res.ok || body.choices?.[0]?.message.content !== "The quick brown fox jumps.") throw new Error(`unexpected answer ${res.status}: ${JSON.stringify(body)}`);
  return performance.now() - started;
}

/** Milliseconds until the first frame carrying content arrives, and until the stream ends. */
async function timeStream(target: Target): Promise<{ firstToken: number; total: number }> {
  const started = performance.now();
  const res = await fetch(target.url, { method: "POST", headers: target.headers, body: JSON.stringify({ model: target.model, messages: [{ role: "user", content: "Go" }], stream: true }) });
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

async function sample(measure: () => Promise<number>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await measure();
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) times.push(await measure());
  return times.sort((a, b) => a - b);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const llm = await startMockLLM();
llm.script(MODEL, [REPLY], { repeat: true });
const server = await startDevServer({ vars: { API_KEYS: API_KEY, LLM_BASE_URL: llm.url, LLM_API_KEY: "mock-key", LLM_MODEL: MODEL } });
try {
  const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
  const chain = { id: CHAIN, tasks: [{ id: "chat", handler: "chat_completion", execute_config: { model: MODEL } }] };
  const registered = await fetch(`${server.url}/chains`, { method: "POST", headers, body: JSON.stringify(chain) });
  if (registered.status !== 201) throw new Error(`registering the bench chain failed: ${await registered.text()}`);

  const direct: Target = { url: `${llm.url}/chat/completions`, headers: { "content-type": "application/json" }, model: MODEL };
  const endpoint: Target = { url: `${server.url}/v1/chat/completions`, headers, model: CHAIN };
  const cases = [
    { name: "completion, total", direct: await sample(async () => (await timeStream(direct)).total), endpoint: await sample(() => timeCompletion(endpoint)) },
    { name: "stream, first token", direct: await sample(async () => (await timeStream(direct)).firstToken), endpoint: await sample(async () => (await timeStream(endpoint)).firstToken) },
  ];

  const ms = (n: number) => `${n.toFixed(1)} ms`;
  console.log(`\nOpenAI-compatible endpoint vs the provider called directly: ${REQUESTS} sequential requests each (after ${WARMUP} warm-up), loopback\n`);
  console.table(
    Object.fromEntries(
      cases.map((c) => {
        const [dMed, eMed] = [percentile(c.direct, 50), percentile(c.endpoint, 50)];
        const [dP95, eP95] = [percentile(c.direct, 95), percentile(c.endpoint, 95)];
        return [
          c.name,
          {
            "direct median": ms(dMed),
            "direct p95": ms(dP95),
            "endpoint median": ms(eMed),
            "endpoint p95": ms(eP95),
            "added (median)": ms(eMed - dMed),
            "added (p95)": ms(eP95 - dP95),
            "ratio (median)": `${(eMed / dMed).toFixed(2)}x`,
          },
        ];
      }),
    ),
  );
  console.log("Each endpoint request is a full run: a Durable Object per request, its steps persisted, the run recorded in D1.");
} finally {
  await server.stop();
  await llm.close();
}
