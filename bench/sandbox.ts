/**
 * What the sandbox costs. Starts two copies of the bench Worker (`bench/worker`, `wrangler dev`
 * on loopback; the host baseline runs alone in one) and measures, sequentially, from here:
 *
 * - start-and-run: a trivial program (`return 1`) in a fresh Worker Loader isolate through
 *   `runSandbox` (normalise, instrument, load, run over RPC), net of what an empty request to
 *   the same Worker takes; against starting a fresh QuickJS-wasm context and running the same.
 * - CPU-bound: each program of bench/worker/program.ts (tight numeric loops; record processing
 *   as code mode does it), sized to take about --target-ms in the host isolate, run directly in
 *   the Worker's own isolate (the baseline), in a fresh sandbox isolate (net of the trivial
 *   program's time, so isolate start is not counted twice), and in QuickJS compiled to
 *   WebAssembly (quickjs-emscripten, in this Node process), the usual alternative sandbox.
 *   Every run's checksum must match the host's.
 * - Both also in a fresh isolate running the code as written (no normalising, instrumenting or
 *   metering), which splits the sandbox's cost into the isolate's and runSandbox's own.
 *
 * The Worker's cases are measured in interleaved rounds, so load on a shared machine falls on
 * all of them alike. Prints medians and p95s and the ratios to the host isolate. Inside workerd
 * the clock does not move during synchronous work, so every time is taken here, around a request.
 *
 *   npx tsx bench/sandbox.ts [--runs 30] [--target-ms 30] [--quickjs-runs 5]
 */
import { parseArgs } from "node:util";
import { getQuickJS, type QuickJSWASMModule } from "quickjs-emscripten";
import { startBenchWorker } from "./bench-worker";
import { PROGRAMS, type ProgramName } from "./worker/program";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "30" }, "target-ms": { type: "string", default: "30" }, "quickjs-runs": { type: "string", default: "5" } },
});
const RUNS = Math.min(Math.max(Number(values.runs) || 30, 3), 500);
const TARGET_MS = Math.min(Math.max(Number(values["target-ms"]) || 30, 5), 2000);
const QUICKJS_RUNS = Math.min(Math.max(Number(values["quickjs-runs"]) || 5, 1), 50);
const WARMUP = 5;
const SETTLE_MS = 25;

/** The CPU-bound program runs far past the default budgets; these keep it from being stopped. */
const CPU_LIMITS = { max_ticks: 2_000_000_000, wall_ms: 120_000, cpu_ms: 120_000 };

interface Envelope {
  ok: boolean;
  result: unknown;
  error?: string;
}

/**
 * Each case's times (sorted), measured once per round in turn, after the warm-up rounds. Each
 * measurement waits for the Worker to go quiet first: a discarded isolate is torn down, and
 * garbage collected, after its response, on the thread the next request runs on.
 */
async function interleaved<K extends string>(rounds: number, cases: Record<K, () => Promise<unknown>>, warmup = WARMUP): Promise<Record<K, number[]>> {
  const names = Object.keys(cases) as K[];
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = -warmup; round < rounds; round++) {
    for (const name of names) {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const started = performance.now();
      await cases[name]();
      if (round >= 0) times[name].push(performance.now() - started);
    }
  }
  for (const name of names) times[name].sort((a, b) => a - b);
  return times;
}

/** Milliseconds `call` takes, once per run after the warm-up, sorted. */
async function sample(runs: number, call: () => Promise<unknown>, warmup = WARMUP): Promise<number[]> {
  return (await interleaved(runs, { call }, warmup)).call;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const median = (sorted: number[]) => percentile(sorted, 50);

function benchClient(url: string) {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  return {
    noop: async () => (await fetch(`${url}/noop`)).text(),
    host: async (name: ProgramName, n: number) => ((await post("/host", { name, n })) as { result: number }).result,
    sandbox: async (code: string, limits?: object) => {
      const envelope = (await post("/sandbox", { code, limits })) as Envelope;
      if (!envelope.ok) throw new Error(`the sandbox failed: ${envelope.error}`);
      return envelope.result;
    },
    plain: async (code: string) => ((await post("/isolate", { code })) as { result: unknown }).result,
    program: async (name: ProgramName, n: number) => (await fetch(`${url}/program?name=${name}&n=${n}`)).text(),
  };
}

/** Runs `code` (an async function body) in a fresh QuickJS runtime and context, as a sandbox would. */
function quickjsRun(quickjs: QuickJSWASMModule, code: string): unknown {
  const runtime = quickjs.newRuntime();
  const context = runtime.newContext();
  try {
    const result = context.evalCode(`(function () {\n${code}\n})()`);
    if (result.error) {
      const error = context.dump(result.error);
      result.error.dispose();
      throw new Error(`QuickJS failed: ${JSON.stringify(error)}`);
    }
    const value: unknown = context.dump(result.value);
    result.value.dispose();
    return value;
  } finally {
    context.dispose();
    runtime.dispose();
  }
}

/**
 * The size at which the program takes about TARGET_MS in the host isolate, warmed up first. Time
 * grows about linearly with n; each round takes the fastest of several runs, the one least
 * disturbed by whatever else the machine is doing.
 */
async function calibrate(client: ReturnType<typeof benchClient>, name: ProgramName, noop: number): Promise<number> {
  let n = 100_000;
  for (let round = 0; round < 5; round++) {
    const took = Math.max((await sample(7, () => client.host(name, n), round === 0 ? 10 : 2))[0]! - noop, 0.5);
    if (Math.abs(took - TARGET_MS) < TARGET_MS * 0.15) break;
    n = Math.round(n * Math.min(Math.max(TARGET_MS / took, 0.1), 10));
  }
  return n;
}

// Two copies of the bench Worker: the host baseline runs alone in one, so its isolate's heap
// holds nothing but the program's own garbage; the fresh isolates are loaded from the other.
const [hostWorker, sandboxWorker] = [await startBenchWorker(), await startBenchWorker()];
try {
  const hosting = benchClient(hostWorker.url);
  const client = benchClient(sandboxWorker.url);
  const quickjs = await getQuickJS();

  const startCases = {
    noop: () => client.noop(),
    sandbox: () => client.sandbox("return 1"),
    plain: () => client.plain("return 1"),
  };
  const start = await interleaved(RUNS, startCases);
  const quickjsTrivial = await sample(RUNS, async () => quickjsRun(quickjs, "return 1"));

  // Net times: what HTTP costs (noop, to the same Worker) comes off the Workers' numbers;
  // starting the isolate (the trivial program's median, same rounds) also comes off a fresh
  // isolate's run, and starting a context off QuickJS's.
  const net = (sorted: number[], base: number) => sorted.map((t) => Math.max(t - base, 0));
  const ms = (t: number) => `${t.toFixed(2)} ms`;
  const stats = (t: number[]) => ({ median: ms(median(t)), p95: ms(percentile(t, 95)) });

  console.log(`\nSandbox bench: ${RUNS} interleaved rounds after ${WARMUP} warm-up rounds (QuickJS, CPU-bound: ${QUICKJS_RUNS} runs); loopback wrangler dev`);
  console.log(`HTTP round trip to the bench Worker, subtracted below: median ${ms(median(start.noop))}, p95 ${ms(percentile(start.noop, 95))}\n`);
  console.log("Start a fresh sandbox and run a trivial program (`return 1`) in it:");
  console.table({
    "Worker Loader isolate, runSandbox": stats(net(start.sandbox, median(start.noop))),
    "Worker Loader isolate, code as written": stats(net(start.plain, median(start.noop))),
    "QuickJS-wasm runtime and context": stats(quickjsTrivial),
  });

  const round2 = (t: number) => Math.round(t * 100) / 100;
  const summary: Record<string, number | string> = {
    bench: "sandbox",
    runs: RUNS,
    start_sandbox_ms: round2(median(net(start.sandbox, median(start.noop)))),
    start_as_written_ms: round2(median(net(start.plain, median(start.noop)))),
    start_quickjs_ms: round2(median(quickjsTrivial)),
  };

  for (const name of Object.keys(PROGRAMS) as ProgramName[]) {
    const n = await calibrate(hosting, name, median(await sample(10, hosting.noop)));
    const code = await client.program(name, n);
    const checksum = await hosting.host(name, n);
    for (const [where, value] of [["the sandbox", await client.sandbox(code, CPU_LIMITS)], ["a plain isolate", await client.plain(code)], ["QuickJS", quickjsRun(quickjs, code)]] as const) {
      if (value !== checksum) throw new Error(`${name} in ${where} returned ${JSON.stringify(value)}, in the host ${checksum}`);
    }
    // One round measures every case once, so load on the machine falls on all of them alike.
    const times = await interleaved(RUNS, {
      ...startCases,
      hostNoop: () => hosting.noop(),
      host: () => hosting.host(name, n),
      sandboxCpu: () => client.sandbox(code, CPU_LIMITS),
      plainCpu: () => client.plain(code),
    });
    const host = net(times.host, median(times.hostNoop));
    const ratio = (t: number[]) => `${(median(t) / median(host)).toFixed(2)}x`;
    const rows: Array<[string, number[]]> = [
      ["host isolate (baseline)", host],
      ["fresh isolate, runSandbox", net(times.sandboxCpu, median(times.sandbox))],
      ["fresh isolate, code as written", net(times.plainCpu, median(times.plain))],
      ["QuickJS-wasm", net(await sample(QUICKJS_RUNS, async () => quickjsRun(quickjs, code), 1), median(quickjsTrivial))],
    ];
    console.log(`CPU-bound program "${name}" (n = ${n}, checksum ${checksum}), execution only:`);
    console.table(Object.fromEntries(rows.map(([label, t]) => [label, { ...stats(t), "vs host": ratio(t) }])));
    const [hostMs, sandboxMs, asWrittenMs, quickjsMs] = rows.map(([, t]) => median(t)) as [number, number, number, number];
    Object.assign(summary, {
      [`${name}_host_ms`]: round2(hostMs),
      [`${name}_sandbox_ratio`]: round2(sandboxMs / hostMs),
      [`${name}_as_written_ratio`]: round2(asWrittenMs / hostMs),
      [`${name}_quickjs_ratio`]: round2(quickjsMs / hostMs),
    });
  }
  console.log("runSandbox adds normalisation, a step-budget check in every loop iteration and function call, and the");
  console.log("allocation meter; any fresh isolate also starts with cold code, while the host's copy is already optimised.");
  console.log(JSON.stringify(summary));
} finally {
  await Promise.all([hostWorker.stop(), sandboxWorker.stop()]);
}
