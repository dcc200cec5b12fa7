/**
 * What the sandbox costs. Starts the bench Worker (`bench/worker`, `wrangler dev` on loopback)
 * and measures, sequentially, from here:
 *
 * - start-and-run: a trivial program (`return 1`) in a fresh Worker Loader isolate through
 *   `runSandbox` (normalise, instrument, load, run over RPC), net of what an empty request to
 *   the same Worker takes; against starting a fresh QuickJS-wasm context and running the same.
 * - CPU-bound: one program (bench/worker/program.ts, sized to take about --target-ms in the host
 *   isolate) run directly in the Worker's own isolate (the baseline), in a fresh sandbox isolate
 *   (net of the trivial program's time, so isolate start is not counted twice), and in
 *   QuickJS compiled to WebAssembly (quickjs-emscripten, in this Node process), the usual
 *   alternative sandbox. Every run's checksum must match the host's.
 *
 * Prints medians and p95s and the ratios to the host isolate. Inside workerd the clock does not
 * move during synchronous work, so every time is taken here, around a request.
 *
 *   npx tsx bench/sandbox.ts [--runs 30] [--target-ms 30] [--quickjs-runs 5]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { getQuickJS, type QuickJSWASMModule } from "quickjs-emscripten";
import { freePort } from "../test/e2e/dev-server";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "30" }, "target-ms": { type: "string", default: "30" }, "quickjs-runs": { type: "string", default: "5" } },
});
const RUNS = Math.min(Math.max(Number(values.runs) || 30, 3), 500);
const TARGET_MS = Math.min(Math.max(Number(values["target-ms"]) || 30, 5), 2000);
const QUICKJS_RUNS = Math.min(Math.max(Number(values["quickjs-runs"]) || 5, 1), 50);
const WARMUP = 5;

const ROOT = join(import.meta.dirname, "..");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");
/** The CPU-bound program runs far past the default budgets; these keep it from being stopped. */
const CPU_LIMITS = { max_ticks: 2_000_000_000, wall_ms: 120_000, cpu_ms: 120_000 };

interface Envelope {
  ok: boolean;
  result: unknown;
  error?: string;
}

async function startBenchWorker(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    WRANGLER,
    ["dev", "-c", "bench/worker/wrangler.toml", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(await freePort()), "--show-interactive-dev-session=false"],
    { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopGroup(child);
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/noop`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
  }
  await stop();
  throw new Error(`the bench Worker did not start:\n${output}`);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(-child.pid, "SIGTERM");
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Milliseconds `call` takes, once per run after the warm-up, sorted. */
async function sample(runs: number, call: () => Promise<unknown>, warmup = WARMUP): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
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
    host: async (n: number) => ((await post("/host", { n })) as { result: number }).result,
    sandbox: async (code: string, limits?: object) => {
      const envelope = (await post("/sandbox", { code, limits })) as Envelope;
      if (!envelope.ok) throw new Error(`the sandbox failed: ${envelope.error}`);
      return envelope.result;
    },
    program: async (n: number) => (await fetch(`${url}/program?n=${n}`)).text(),
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

/** The program size whose host time is about TARGET_MS, from a first measurement (time grows about linearly in n). */
async function calibrate(client: ReturnType<typeof benchClient>, noop: number): Promise<number> {
  let n = 500_000;
  for (let round = 0; round < 3; round++) {
    const took = Math.max(median(await sample(5, () => client.host(n), 2)) - noop, 0.5);
    n = Math.round((n * TARGET_MS) / took);
  }
  return n;
}

const worker = await startBenchWorker();
try {
  const client = benchClient(worker.url);
  const quickjs = await getQuickJS();
  const noop = await sample(RUNS, client.noop);
  const trivial = await sample(RUNS, () => client.sandbox("return 1"));
  const quickjsTrivial = await sample(RUNS, async () => quickjsRun(quickjs, "return 1"));

  const n = await calibrate(client, median(noop));
  const code = await client.program(n);
  const expected = await client.host(n);
  const checked = (what: string, value: unknown) => {
    if (value !== expected) throw new Error(`${what} returned ${JSON.stringify(value)}, the host ${expected}`);
  };
  checked("the sandbox", await client.sandbox(code, CPU_LIMITS));
  checked("QuickJS", quickjsRun(quickjs, code));

  const host = await sample(RUNS, () => client.host(n));
  const sandboxed = await sample(RUNS, () => client.sandbox(code, CPU_LIMITS));
  const quickjsCpu = await sample(QUICKJS_RUNS, async () => quickjsRun(quickjs, code), 1);

  // Net times: what HTTP costs (noop) comes off the Worker's numbers; isolate start (the trivial
  // program's median) also comes off the sandboxed run, and context start off QuickJS's.
  const net = (sorted: number[], base: number) => sorted.map((t) => Math.max(t - base, 0));
  const startIsolate = net(trivial, median(noop));
  const hostCpu = net(host, median(noop));
  const sandboxCpu = net(sandboxed, median(trivial));
  const quickjsCpuNet = net(quickjsCpu, median(quickjsTrivial));

  const ms = (t: number) => `${t.toFixed(2)} ms`;
  const ratio = (t: number) => `${(t / median(hostCpu)).toFixed(2)}x`;
  console.log(`\nSandbox bench: ${RUNS} sequential runs each (QuickJS CPU-bound: ${QUICKJS_RUNS}), after ${WARMUP} warm-up runs; loopback wrangler dev\n`);
  console.log(`HTTP round trip to the bench Worker (subtracted below): median ${ms(median(noop))}, p95 ${ms(percentile(noop, 95))}\n`);
  console.log("Start and run a trivial program (`return 1`) in a fresh sandbox:");
  console.table({
    "Worker Loader isolate (runSandbox)": { median: ms(median(startIsolate)), p95: ms(percentile(startIsolate, 95)) },
    "QuickJS-wasm runtime + context": { median: ms(median(quickjsTrivial)), p95: ms(percentile(quickjsTrivial, 95)) },
  });
  console.log(`CPU-bound program (sieve + Collatz, n = ${n}, checksum ${expected}), execution only:`);
  console.table({
    "host isolate (baseline)": { median: ms(median(hostCpu)), p95: ms(percentile(hostCpu, 95)), "vs host": "1.00x" },
    "fresh sandbox isolate (instrumented)": { median: ms(median(sandboxCpu)), p95: ms(percentile(sandboxCpu, 95)), "vs host": ratio(median(sandboxCpu)) },
    "QuickJS-wasm": { median: ms(median(quickjsCpuNet)), p95: ms(percentile(quickjsCpuNet, 95)), "vs host": ratio(median(quickjsCpuNet)) },
  });
} finally {
  await worker.stop();
}
