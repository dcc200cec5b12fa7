/**
 * Starting a run, shared by every way in (API, OpenAI routes, cron, events): hand the chain
 * snapshot — with the domain contracts it binds, as they are now — to a fresh ChainRun object,
 * then record the run in D1, so the caller's next `GET /runs` lists it. A chain that binds a
 * contract nothing provides does not start. A caller that answers from the run itself (a chat
 * completion) lets the object list it instead (`runToEnd`, `startFollowed`): the object lists the
 * run within D1_SYNC_MS of its start, or at its end if that comes first, and no D1 write stands
 * between the request and its answer.
 */
import { contractSnapshots } from "../contract/resolve";
import { ADMIN_ROLE } from "../contract/types";
import { db } from "../db/client";
import { insertRun } from "../db/runs";
import type { Env } from "../env";
import { EngineError } from "../engine/errors";
import type { RunView, StartRequest, StartRun } from "../engine/records";
import { runStub, type RunStub } from "./stub";
import { boundView } from "./bounds";

/**
 * The id for a run about to start, its object already awake: the one the previous completion in
 * this isolate woke when it had answered (`wakeAhead`), else one woken now, whose start-up
 * overlaps what the caller does before starting it (reading the chain). An object woken for a
 * run that never starts holds nothing: its tables are made with the run.
 */
export function wakeNewRun(env: Env): string {
  const runId = wokenAhead ?? wake(env);
  wokenAhead = undefined;
  return runId;
}

/**
 * Wakes the object of this isolate's next new run, once a completion has answered: creating it
 * (on Cloudflare, a Durable Object's cold start) is then off the next request's path. Only the
 * id is kept, since a stub belongs to the request that made it.
 */
export function wakeAhead(env: Env): void {
  wokenAhead ??= wake(env);
}

/** Per isolate: the run id whose object `wakeAhead` woke, not yet taken. */
let wokenAhead: string | undefined;

function wake(env: Env): string {
  const runId = crypto.randomUUID();
  runStub(env, runId).warm().catch(() => undefined);
  return runId;
}

export async function startRun(env: Env, request: StartRequest): Promise<RunView> {
  const { stub, start } = await prepare(env, request);
  const view = await stub.start(start);
  await insertRun(db(env.DB), boundView(view));
  return view;
}

/**
 * A run started and followed to its end (or `timeoutMs`) in one round trip to its object, which
 * lists it: for callers that answer with the result.
 */
export async function runToEnd(env: Env, request: StartRequest, timeoutMs: number): Promise<RunView | undefined> {
  const { stub, start } = await prepare(env, request);
  return stub.startAndWait(start, timeoutMs);
}

/** A run started, with its event stream from its first event, in one round trip; its object lists it. */
export async function startFollowed(env: Env, request: StartRequest): Promise<{ view: RunView; events: ReadableStream<Uint8Array> }> {
  const { stub, start } = await prepare(env, request);
  return stub.startFollowed(start);
}

async function prepare(env: Env, request: StartRequest): Promise<{ stub: RunStub; start: StartRun }> {
  const runId = request.run_id ?? crypto.randomUUID();
  const bound = await contractSnapshots(env, request.chain);
  if (!bound.ok) {
    throw new EngineError("contract_missing", `Chain "${request.chain.id}" binds contract "${bound.missing}", which is not registered or bundled; register it (POST /contracts) or fix the chain's "contract".`, { path: "contract", status: 400 });
  }
  const start: StartRun = {
    run_id: runId,
    chain: request.chain,
    chain_version: request.chain_version,
    input: request.input,
    vars: request.vars ?? {},
    created_at: Date.now(),
    client_tools: request.client_tools,
    ...(request.event_hops !== undefined ? { event_hops: request.event_hops } : {}),
    principal: request.principal ?? ADMIN_ROLE,
    ...(bound.contracts ? { contracts: bound.contracts } : {}),
    ...(request.event_root !== undefined ? { event_root: request.event_root } : {}),
    ...(request.parent ? { parent: request.parent } : {}),
  };
  return { stub: runStub(env, runId), start };
}
