/**
 * The API's shapes as the console reads them. Run, step and chain records come from the engine's
 * own declarations (type-only imports: the console shares the API's vocabulary, not its code);
 * the rest are the fields of other resources' views that the console shows.
 */
import type { Chain } from "../../../src/engine/chain";
import type { ReplayReport } from "../../../src/engine/replay";
import type { ForkedFrom, StepRecord } from "../../../src/engine/records";
import type { RunStatus } from "../../../src/engine/run-state";

export type { Approval, ForkedFrom, RunView } from "../../../src/engine/records";
export type { Divergence, ReplayedStep, ReplayReport } from "../../../src/engine/replay";
export type { EffectRequest } from "../../../src/engine/replay-effects";
export type { Branch, Chain, Task } from "../../../src/engine/chain";
export type { ChatHistory, ChatMessage, ToolCall, ToolSpec, Usage } from "../../../src/engine/chat";
export type { LlmCall, RecordedMessage } from "../../../src/engine/llm-calls";
export type { RunStatus } from "../../../src/engine/run-state";
export type { Problem } from "../../../src/engine/errors";
export type { ChainView } from "../../../src/api/chains/view";
export type { DomainEvent, Trigger } from "../../../src/events/types";

export type Step = StepRecord;

/** One capability call a sandboxed program made (src/sandbox/isolate-module.ts `CallRecord`). */
export interface SandboxCall {
  name: string;
  args: unknown;
  ok: boolean;
  error?: string;
  duration_ms: number;
}

/** What one sandbox execution returns: a `run_js` step's output, an `execute_js` call's result. */
export interface SandboxEnvelope {
  ok: boolean;
  result: unknown;
  error?: string;
  logs: string[];
  calls: SandboxCall[];
  code: string;
  duration_ms: number;
}

/** `POST /runs/:id/fork`'s answer. */
export interface Forked {
  id: string;
  status: RunStatus;
  forked_from: ForkedFrom;
}

/** `POST /runs/:id/replay`'s answer. */
export type RunReplay = { run_id: string } & ReplayReport;

/** One run in `POST /chains/:id/replay`'s answer: its outcome without its steps. */
export type ChainRunReplay = { run_id: string; steps_replayed: number } & Omit<ReplayReport, "steps">;

/** `POST /chains/:id/replay`'s answer. */
export interface ChainReplayReport {
  chain_id: string;
  runs: number;
  same: number;
  diverged: number;
  not_replayable: number;
  results: ChainRunReplay[];
}

export interface ChainVersion {
  version: number;
  created_at: number;
  definition: Chain;
}

export interface Page<T> {
  data: T[];
  next_cursor?: string | null;
}

/** What an event fired (`GET /events/:id`'s `fires`). */
export interface Fire {
  trigger_id: string;
  run_id: string | null;
  result: unknown;
  error: string | null;
}

/** An event whose delivery failed every attempt (`GET /events/dead-letters`). */
export interface DeadLetter {
  id: string;
  event_id: string | null;
  payload: unknown;
  error: string;
  attempts: number;
  created_at: number;
}
