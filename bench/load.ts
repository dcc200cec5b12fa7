/**
 * Load: N runs started at once through `POST /runs` (one `chat_completion` step each) and N/2
 * streaming completions at once through `/v1/chat/completions`, against a real `wrangler dev`
 * and the scripted mock LLM. Reports throughput, p50/p95 time to finish, and the runs lost
 * (never reached a final status), failed, and duplicated (the provider saw more calls for a run
 * than it has LLM steps). The baseline is the mock provider called directly, at the same
 * concurrency, in the same process.
 *
 *   npx tsx bench/load.ts [--runs 500] [--url http://127.0.0.1:8787 --key dev-key --llm http://127.0.0.1:8788]
 *
 * Without --url it starts its own mock LLM and `wrangler dev` (as the e2e tests do). The last
 * line printed is one JSON object with every figure.
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import OpenAI from "openai";
import { startDevServer } from "../test/e2e/dev-server";
import { mockLLMControl } from "../test/mocks/llm-control";
import { startMockLLM } from "../test/mocks/llm-server";

export interface LoadOptions {
  url: string;
  apiKey: string;
  /** The mock LLM's origin (its request log tells duplicates apart). */
  llmUrl: string;
  runs: number;
  /** How long a run may take to be seen finished before it counts as lost. */
  deadlineMs?: number;
}

export interface LoadReport {
  runs: { started: number; start_errors: number; start_retries: number; start_error_sample: string[]; succeeded: number; failed: number; lost: number; lost_sample: string[]; duplicated: number; per_s: number; p50_ms: number; p95_ms: number };
  streams: { started: number; completed: number; failed: number; error_sample: string[]; duplicated: number; per_s: number; p50_ms: number; p95_ms: number };
  provider_direct: { per_s: number; p50_ms: number };
}

const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);
/** Status reads in flight at once while waiting for runs to finish. */
const READERS = 32;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function json(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { error: { message: text.slice(0, 200) } };
  }
}

/** Calls per model in the mock's log: each run and stream has a model of its own. */
async function callsByModel(llmUrl: string, prefix: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const request of await mockLLMControl(llmUrl).requests()) {
    const model = request.scenario;
    if (model.startsWith(prefix)) counts.set(model, (counts.get(model) ?? 0) + 1);
  }
  return counts;
}

/** One `chat_completion` step whose model (a mock scenario) each run and stream names for itself. */
const LOAD_CHAIN = { id: "load", tasks: [{ id: "answer", handler: "chat_completion", execute_config: { model: "{{var:model}}" } }] };

/** Attempts per start: a start the local runtime dropped is retried under its Idempotency-Key. */
const START_ATTEMPTS = 3;

async function startRuns(options: LoadOptions, prefix: string) {
  const began = Date.now();
  let retries = 0;
  const started = await Promise.all(
    Array.from({ length: options.runs }, async (_, i): Promise<{ id: string; model: string } | { error: string }> => {
      const headers = { authorization: `Bearer ${options.apiKey}`, "content-type": "application/json", "idempotency-key": `${prefix}${i}` };
      let error = "";
      for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
        if (attempt > 0) retries++;
        try {
          const res = await fetch(`${options.url}/runs`, { method: "POST", headers, body: JSON.stringify({ chain: LOAD_CHAIN, input: `hello ${i}`, vars: { model: `${prefix}${i}` } }) });
          const body = await json(res);
          if (res.status === 202) return { id: String(body.id), model: `${prefix}${i}` };
          error = `${res.status} ${body.error?.message ?? ""}`;
          if (res.status !== 503) break;
        } catch (err) {
          error = String(err);
        }
      }
      return { error };
    }),
  );
  return { began, started, retries };
}

async function waitForRuns(options: LoadOptions, ids: string[]) {
  const deadline = Date.now() + (options.deadlineMs ?? 240_000);
  const finished = new Map<string, { status: string; ms: number }>();
  /** The last answer read for each run not yet finished: what a lost run looked like. */
  const lastSeen = new Map<string, string>();
  const pending = [...ids];
  const headers = { authorization: `Bearer ${options.apiKey}` };
  while (pending.length > 0 && Date.now() < deadline) {
    const batch = pending.splice(0, READERS);
    await Promise.all(
      batch.map(async (id) => {
        try {
          const res = await fetch(`${options.url}/runs/${id}`, { headers });
          const run = await json(res);
          if (TERMINAL.has(run.status)) finished.set(id, { status: run.status, ms: run.finished_at - run.created_at });
          else {
            lastSeen.set(id, `${res.status} ${run.status ?? run.error?.message ?? ""}`);
            pending.push(id);
          }
        } catch (err) {
          lastSeen.set(id, String(err));
          pending.push(id);
        }
      }),
    );
    if (pending.length > 0 && batch.every((id) => !finished.has(id))) await new Promise((r) => setTimeout(r, 100));
  }
  return { finished, lostSample: pending.slice(0, 3).map((id) => `${id}: ${lastSeen.get(id) ?? "never read"}`) };
}

async function streamCompletions(options: LoadOptions, prefix: string, count: number) {
  // The SDK retries a dropped connection or a 5xx; the Idempotency-Key makes a retry safe.
  const client = new OpenAI({ baseURL: `${options.url}/openai/load/v1`, apiKey: options.apiKey, maxRetries: 2, timeout: options.deadlineMs ?? 240_000 });
  const began = Date.now();
  const results = await Promise.all(
    Array.from({ length: count }, async (_, i): Promise<{ ms: number } | { error: string }> => {
      const t0 = Date.now();
      try {
        const stream = await client.chat.completions.create({ model: `${prefix}${i}`, messages: [{ role: "user", content: `stream ${i}` }], stream: true }, { headers: { "idempotency-key": `${prefix}${i}` } });
        let text = "";
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
        return text.includes(`stream ${i}`) ? { ms: Date.now() - t0 } : { error: `unexpected answer: ${text.slice(0, 80)}` };
      } catch (err) {
        return { error: String(err) };
      }
    }),
  );
  return { began, results };
}

async function providerDirect(llmUrl: string, count: number) {
  const client = new OpenAI({ baseURL: `${llmUrl.replace(/\/+$/, "").replace(/\/v1$/, "")}/v1`, apiKey: "x", maxRetries: 0 });
  const began = Date.now();
  const times = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const t0 = Date.now();
      await client.chat.completions.create({ model: `direct-${i}`, messages: [{ role: "user", content: "hi" }] });
      return Date.now() - t0;
    }),
  );
  return { per_s: count / ((Date.now() - began) / 1000), p50_ms: percentile(times, 50) };
}

export async function measureLoad(options: LoadOptions): Promise<LoadReport> {
  const tag = Math.random().toString(36).slice(2, 8);
  await registerLoadChain(options);

  const runPrefix = `load-run-${tag}-`;
  const { began, started, retries } = await startRuns(options, runPrefix);
  const ok = started.flatMap((s) => ("id" in s ? [s] : []));
  const { finished, lostSample } = await waitForRuns(options, ok.map((s) => s.id));
  const runSeconds = (Date.now() - began) / 1000;
  const runCalls = await callsByModel(options.llmUrl, runPrefix);
  const durations = [...finished.values()].map((f) => f.ms);

  const streamPrefix = `load-stream-${tag}-`;
  const streamCount = Math.max(1, Math.floor(options.runs / 2));
  const streams = await streamCompletions(options, streamPrefix, streamCount);
  const streamSeconds = (Date.now() - streams.began) / 1000;
  const streamCalls = await callsByModel(options.llmUrl, streamPrefix);
  const streamTimes = streams.results.flatMap((r) => ("ms" in r ? [r.ms] : []));

  return {
    runs: {
      started: ok.length,
      start_errors: started.length - ok.length,
      start_retries: retries,
      start_error_sample: started.flatMap((s) => ("error" in s ? [s.error] : [])).slice(0, 3),
      succeeded: [...finished.values()].filter((f) => f.status === "succeeded").length,
      failed: [...finished.values()].filter((f) => f.status !== "succeeded").length,
      lost: ok.length - finished.size,
      lost_sample: lostSample,
      duplicated: [...runCalls.values()].filter((n) => n > 1).length,
      per_s: round(finished.size / runSeconds),
      p50_ms: percentile(durations, 50),
      p95_ms: percentile(durations, 95),
    },
    streams: {
      started: streamCount,
      completed: streamTimes.length,
      failed: streamCount - streamTimes.length,
      error_sample: streams.results.flatMap((r) => ("error" in r ? [r.error] : [])).slice(0, 3),
      duplicated: [...streamCalls.values()].filter((n) => n > 1).length,
      per_s: round(streamTimes.length / streamSeconds),
      p50_ms: percentile(streamTimes, 50),
      p95_ms: percentile(streamTimes, 95),
    },
    provider_direct: await providerDirect(options.llmUrl, streamCount).then((d) => ({ per_s: round(d.per_s), p50_ms: d.p50_ms })),
  };
}

/** The streaming half names a registered chain in the path; the runs send theirs inline. */
async function registerLoadChain(options: LoadOptions): Promise<void> {
  const headers = { authorization: `Bearer ${options.apiKey}`, "content-type": "application/json" };
  const res = await fetch(`${options.url}/chains/load`, { method: "PUT", headers, body: JSON.stringify(LOAD_CHAIN) });
  if (!res.ok) throw new Error(`could not register the load chain: ${res.status} ${await res.text()}`);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "500" }, url: { type: "string" }, key: { type: "string", default: "dev-key" }, llm: { type: "string" } } });
  const runs = Number(values.runs);
  const llm = values.url ? undefined : await startMockLLM();
  const server = values.url ? undefined : await startDevServer({ vars: { API_KEYS: "bench-key", LLM_BASE_URL: llm!.url, LLM_API_KEY: "mock", LLM_MODEL: "mock-model" } });
  try {
    const report = await measureLoad({ url: values.url ?? server!.url, apiKey: values.url ? values.key : "bench-key", llmUrl: values.llm ?? llm!.url, runs });
    const r = report.runs;
    const s = report.streams;
    console.log(`runs:    ${r.started}/${runs} started (${r.start_retries} retried), ${r.succeeded} succeeded, ${r.failed} failed, ${r.lost} lost, ${r.duplicated} duplicated; ${r.per_s} runs/s; p50 ${r.p50_ms} ms, p95 ${r.p95_ms} ms`);
    console.log(`streams: ${s.completed}/${s.started} completed, ${s.failed} failed, ${s.duplicated} duplicated; ${s.per_s}/s; p50 ${s.p50_ms} ms, p95 ${s.p95_ms} ms`);
    console.log(`provider called directly at ${s.started} at once: ${report.provider_direct.per_s}/s, p50 ${report.provider_direct.p50_ms} ms`);
    console.log(JSON.stringify({ bench: "load", n: runs, ...report }));
  } finally {
    await server?.stop();
    await llm?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
