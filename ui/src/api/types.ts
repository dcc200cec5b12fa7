/**
 * The API's shapes as the console reads them. Run, step and chain records come from the engine's
 * own declarations (type-only imports: the console shares the API's vocabulary, not its code);
 * the rest are the fields of other resources' views that the console shows.
 */
import type { Chain } from "../../../src/engine/chain";
import type { StepRecord } from "../../../src/engine/records";

export type { Approval, RunView } from "../../../src/engine/records";
export type { Branch, Chain, Task } from "../../../src/engine/chain";
export type { ChatHistory, ChatMessage, ToolCall, ToolSpec, Usage } from "../../../src/engine/chat";
export type { LlmCall, RecordedMessage } from "../../../src/engine/llm-calls";
export type { RunStatus } from "../../../src/engine/run-state";
export type { Problem } from "../../../src/engine/errors";

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

export interface ChainView {
  id: string;
  description?: string;
  version: number;
  source: "registry" | "bundled";
  definition: Chain;
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
