/**
 * Starting a run, shared by every way in (API, OpenAI routes, cron, events): hand the chain
 * snapshot to a fresh ChainRun object, then record the run in D1.
 */
import { db } from "../db/client";
import { insertRun } from "../db/runs";
import type { Chain, ChatMessage, ToolSpec } from "../engine/types";
import type { Env } from "../env";
import type { RunView } from "./records";
import { runStub } from "./stub";

export interface StartRequest {
  chain: Chain;
  chain_version: number;
  input: unknown;
  vars?: Record<string, string>;
  client_tools?: ToolSpec[];
  /** Reuse a known id (idempotent starts, e.g. one run per event id). */
  run_id?: string;
  /** See `StartRun.event_hops`. */
  event_hops?: number;
}

export async function startRun(env: Env, request: StartRequest): Promise<RunView> {
  const runId = request.run_id ?? crypto.randomUUID();
  const view = await runStub(env, runId).start({
    run_id: runId,
    chain: request.chain,
    chain_version: request.chain_version,
    input: request.input,
    vars: request.vars ?? {},
    created_at: Date.now(),
    client_tools: request.client_tools,
    ...(request.event_hops !== undefined ? { event_hops: request.event_hops } : {}),
  });
  await insertRun(db(env.DB), view);
  return view;
}

/** A chat transcript becomes a ChatHistory so chat tasks continue it; other input passes as is. */
export function runInput(input: unknown): unknown {
  if (Array.isArray(input) && input.length > 0 && input.every(isMessage)) return { kind: "chat", messages: input };
  return input ?? "";
}

function isMessage(value: unknown): value is ChatMessage {
  return typeof value === "object" && value !== null && "role" in value && "content" in value;
}
