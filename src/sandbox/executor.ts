/**
 * Runs one piece of LLM-written code in a fresh Worker Loader isolate and returns the run_js
 * envelope: unwrap and normalise (`prepareCode`) → instrument and wrap in the isolate's main module →
 * load with the capability stub as its only binding and the egress gate as its only network →
 * call `run(args)` over RPC, raced against the wall time → check the result size. Never throws: every failure is
 * an envelope with `ok: false` and an `error` a user can act on.
 */
import type { SandboxEnvelope } from "../engine/effects";
import type { SandboxLimits } from "./limits";
import { normalizeCode } from "./normalize";
import { buildSandboxModule, SANDBOX_MAIN_MODULE } from "./isolate-module";
import type { IsolateOutput } from "./isolate-module";
import { boundEnvelope, callRecord, ENVELOPE_BOUNDS, shortened } from "./envelope";
import { unwrapCode } from "./unwrap";

export const SANDBOX_COMPATIBILITY_DATE = "2026-03-01";

/** Extra wait past `wall_ms` for the isolate's own (more informative) wall-time error. */
const HOST_GRACE_MS = 1_000;

/**
 * The Worker Loader code object as far as the executor uses it. `Outbound` is the gate's type
 * (`Fetcher` on Workers), so the real `LOADER` binding satisfies `WorkerLoaderLike` while this
 * module and its tests stay free of Workers types.
 */
export interface IsolateCode<Outbound = object> {
  compatibilityDate: string;
  mainModule: string;
  modules: Record<string, string>;
  env: { CAPS: object };
  globalOutbound: Outbound | null;
  limits: { cpuMs: number };
}

export interface IsolateWorker {
  getEntrypoint(): object;
}

/** The `LOADER` binding: `load()` where available, else `get()`. */
export interface WorkerLoaderLike<Outbound = object> {
  load?(code: IsolateCode<Outbound>): IsolateWorker;
  get?(id: string, getCode: () => IsolateCode<Outbound>): IsolateWorker;
}

export interface SandboxDeps<Outbound = object> {
  loader: WorkerLoaderLike<Outbound>;
  /** `ctx.exports.SandboxCapabilities({ props })`: the isolate's `env.CAPS`. */
  capabilities: object;
  /** `ctx.exports.EgressGate({ props })`: the isolate's only network (`null`: none at all). */
  gate: Outbound | null;
}

export interface SandboxRunOptions {
  limits: SandboxLimits;
  /** Granted tool names (resolved, as offered), for `tools.<service>.<operation>()`. */
  tools?: readonly string[];
  /** More global names whose calls get a missing `await` added. */
  asyncGlobals?: readonly string[];
  /**
   * Arguments (JSON values) the code's entry function — a default export, a lone function,
   * `main` — is called with; a stored function gets its event this way. The same values must
   * be given when the code was prepared with `prepareCode`.
   */
  args?: readonly unknown[];
  signal?: AbortSignal;
}

/** Code unwrapped and normalised, ready to run; stored code can be prepared once and reused. */
export type PreparedCode = { ok: true; code: string } | { ok: false; error: string; code: string };

type Outcome = Pick<SandboxEnvelope, "ok" | "result" | "error" | "logs" | "calls">;

export function prepareCode(code: string, options: Pick<SandboxRunOptions, "asyncGlobals" | "args"> = {}): PreparedCode {
  const unwrapped = unwrapCode(code);
  const normalised = normalizeCode(unwrapped, {
    asyncGlobals: options.asyncGlobals,
    // The runtime calls the body with `args`; the body hands them on to the entry function.
    ...(options.args ? { entryArguments: "...arguments" } : {}),
  });
  return normalised.ok ? normalised : { ...normalised, code: unwrapped };
}

export async function runSandbox<Outbound>(
  deps: SandboxDeps<Outbound>,
  code: string | PreparedCode,
  options: SandboxRunOptions,
): Promise<SandboxEnvelope> {
  const started = Date.now();
  const prepared = typeof code === "string" ? prepareCode(code, options) : code;
  const outcome = prepared.ok ? await execute(deps, prepared.code, options) : failure(prepared.error);
  return { ...outcome, code: prepared.code, duration_ms: Date.now() - started };
}

async function execute<Outbound>(deps: SandboxDeps<Outbound>, code: string, options: SandboxRunOptions): Promise<Outcome> {
  const { limits } = options;
  let raw: unknown;
  try {
    const { modules } = buildSandboxModule({ code, limits, tools: options.tools ?? [] });
    const worker = loadIsolate(deps.loader, {
      compatibilityDate: SANDBOX_COMPATIBILITY_DATE,
      mainModule: SANDBOX_MAIN_MODULE,
      modules,
      env: { CAPS: deps.capabilities },
      globalOutbound: deps.gate,
      limits: { cpuMs: limits.cpu_ms },
    });
    const entrypoint: { run?: unknown } = worker.getEntrypoint();
    if (typeof entrypoint.run !== "function") return failure("the sandbox isolate has no run() entrypoint");
    raw = await withDeadline(
      Promise.resolve(entrypoint.run(options.args ?? [])),
      limits.wall_ms + HOST_GRACE_MS,
      `Execution stopped: no result within the wall time limit of ${limits.wall_ms} ms (limits.wall_ms)`,
      options.signal,
    );
  } catch (error) {
    return failure(error instanceof Error ? error.message : String(error));
  }
  const read = readIsolateOutput(raw);
  if (!read) return failure("the sandbox isolate returned an unexpected value");
  const output = { ...read, ...boundEnvelope(read, limits) };
  const { logs, calls } = output;
  if (!output.ok || output.result_json === null) return failure(output.error ?? "the code failed", logs, calls);
  const size = new TextEncoder().encode(output.result_json).length;
  if (size > limits.max_result_bytes) {
    return failure(`the result is ${size} bytes, over limits.max_result_bytes (${limits.max_result_bytes})`, logs, calls);
  }
  try {
    return { ok: true, result: JSON.parse(output.result_json), logs, calls };
  } catch {
    return failure("the sandbox isolate returned a result that is not JSON", logs, calls);
  }
}

/**
 * An error message is the code's own text (`throw new Error(hugeString)`): it is kept short,
 * since it is stored on the step and, in code mode, shown to the model that repairs the code.
 */
function failure(error: string, logs: string[] = [], calls: unknown[] = []): Outcome {
  return { ok: false, result: null, error: shortened(error, ENVELOPE_BOUNDS.error_chars), logs, calls };
}

/**
 * `load()` gives a fresh isolate per call. The `get()` fallback is given an id that is never
 * reused, which also means a fresh isolate each time; the loader's cache then holds entries that
 * are never hit again until it evicts them, acceptable only where `load()` does not exist.
 */
export function loadIsolate<Outbound>(loader: WorkerLoaderLike<Outbound>, code: IsolateCode<Outbound>): IsolateWorker {
  if (loader.load) return loader.load(code);
  if (loader.get) return loader.get(`sandbox-${crypto.randomUUID()}`, () => code);
  throw new Error("the LOADER binding has neither load() nor get()");
}

function withDeadline<T>(promise: Promise<T>, ms: number, message: string, signal?: AbortSignal): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    onAbort = () => reject(new Error("Execution cancelled"));
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  return Promise.race([promise, stop]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  });
}

/** The isolate's answer, checked rather than trusted: it crossed an RPC boundary. */
function readIsolateOutput(value: unknown): IsolateOutput | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const { ok, result_json, error, logs, calls } = value as Record<string, unknown>;
  if (typeof ok !== "boolean" || !Array.isArray(logs) || !Array.isArray(calls)) return undefined;
  return {
    ok,
    result_json: typeof result_json === "string" ? result_json : null,
    error: typeof error === "string" ? error : null,
    logs: logs.map(String),
    calls: calls.flatMap((call) => callRecord(call) ?? []),
  };
}
