/**
 * Recorded effects: everything a step consumed that is not a function of the run state, kept
 * with the step so the engine can run it again calling nothing (replay.ts). That is each effect
 * in the order the step asked for it — LLM calls (kept once, as the step's `llm_calls`),
 * embeddings, tool lists, tool results, sandbox envelopes, which hold every capability call a program made with
 * its result (the ids of events it sent and of sub-runs it started, their outputs) — and the
 * step's environment: its clock for `{{now:…}}`, the tool names for `{{toolservice:list}}`, the
 * var defaults, the step ceiling, and the draw for the retry jitter.
 *
 * `recordEffects` wraps a step's effects; `take` snapshots what was recorded when the step ends.
 * An effect still in flight then (the step timed out or was cancelled around it) is marked
 * `pending`, and the step `interrupted`: replay ends the step the same way when it gets there.
 */
import type { ChatRequest, Effects } from "./effects";
import { callError, recordLlmCalls, type LlmCall, type LlmCallError } from "./llm-calls";
import type { StepResult } from "./run-state";
import type { StepEnv } from "./step";
import { truncateForLog } from "./truncate";

export type EffectKind = "llm" | "embeddings" | "tools.list" | "tools.missing" | "tools.call" | "sandbox.run";

/** An effect other than an LLM call: what was asked, and what came back (or was thrown). */
export interface RecordedCall {
  kind: Exclude<EffectKind, "llm">;
  /** `{grant}` for tool lists, `{name, args}` for a tool call, `{task_id, code}` for the sandbox, the request for embeddings. */
  request: unknown;
  result?: unknown;
  error?: LlmCallError;
  pending?: true;
}

/** An LLM call: its request and reply are the step's `llm_calls[call]`. */
export interface RecordedLlm {
  kind: "llm";
  call: number;
  pending?: true;
}

export type RecordedEffect = RecordedCall | RecordedLlm;

export interface StepEffects {
  /** The step's environment, as `executeStep` got it (with the ceiling `advance` used). */
  env: StepEnv;
  /** The number `advance` drew for the retry jitter. */
  random: number;
  effects: RecordedEffect[];
  /** The step's error when it ended with effects in flight (a timeout, a cancel). */
  interrupted?: { type: string; message: string; retryable: boolean };
  /** Why the step cannot be run again, when it cannot (e.g. it was never run: it crashed the runtime). */
  unreplayable?: string;
}

export interface StepRecorder {
  effects: Effects;
  /** A copy of what was recorded so far: the LLM calls and the effects in order. */
  take(): { llm_calls: LlmCall[]; effects: RecordedEffect[] };
}

export function recordEffects(inner: Effects): StepRecorder {
  const calls: LlmCall[] = [];
  const log: RecordedEffect[] = [];
  const llm = recordLlmCalls(inner.llm, calls, inner.clock);

  function track<T>(kind: RecordedCall["kind"], request: unknown, run: () => Promise<T>): Promise<T> {
    const entry: RecordedCall = { kind, request, pending: true };
    log.push(entry);
    return run().then(
      (result) => {
        delete entry.pending;
        entry.result = result;
        return result;
      },
      (error: unknown) => {
        delete entry.pending;
        entry.error = callError(error);
        throw error;
      },
    );
  }

  return {
    effects: {
      llm: {
        chat(request: ChatRequest, signal, onDelta) {
          const entry: RecordedLlm = { kind: "llm", call: calls.length, pending: true };
          log.push(entry);
          return llm.chat(request, signal, onDelta).finally(() => delete entry.pending);
        },
      },
      embeddings: { embed: (request, signal) => track("embeddings", request, () => inner.embeddings.embed(request, signal)) },
      tools: {
        list: (grant) => track("tools.list", { grant: grant ?? null }, () => inner.tools.list(grant)),
        missing: (grant) => track("tools.missing", { grant }, () => inner.tools.missing(grant)),
        call: (name, args, ctx) => track("tools.call", { name, args }, () => inner.tools.call(name, args, ctx)),
      },
      sandbox: { run: (code, options) => track("sandbox.run", { task_id: options.task.id, code }, () => inner.sandbox.run(code, options)) },
      clock: inner.clock,
    },
    take: () => JSON.parse(JSON.stringify({ llm_calls: calls, effects: log })) as { llm_calls: LlmCall[]; effects: RecordedEffect[] },
  };
}

/**
 * A step's effects for its record: each bounded by `maxBytes`, and the step `interrupted` when
 * it ended with an error while some were still in flight.
 */
export function stepEffects(recorded: readonly RecordedEffect[], result: StepResult, env: StepEnv, random: number, maxBytes: number): StepEffects {
  const interrupted = result.error && recorded.some((effect) => effect.pending) ? { type: result.error.type, message: result.error.message, retryable: result.error.retryable ?? false } : undefined;
  return { env, random, effects: boundEffects(recorded, maxBytes), ...(interrupted ? { interrupted } : {}) };
}

/** The effects within `maxBytes` each: a request or result over it is replaced by a marker. */
function boundEffects(effects: readonly RecordedEffect[], maxBytes: number): RecordedEffect[] {
  return effects.map((effect) => {
    if (effect.kind === "llm") return effect;
    const bounded: RecordedCall = { ...effect, request: truncateForLog(effect.request, maxBytes) };
    if ("result" in effect) bounded.result = truncateForLog(effect.result, maxBytes);
    return bounded;
  });
}
