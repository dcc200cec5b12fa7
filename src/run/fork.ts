/**
 * Forking a run: a new run, in its own object, that starts with the original's state as it was
 * before step `from_step` — vars, outputs, edge counts, workspace files — copied from the
 * record, not re-executed, and runs live from there. `vars` are merged into the original's,
 * `input` replaces the run input, `chain` replaces the chain (the caller validates it), and
 * `patch` replaces the recorded output of the step before. Nothing is created unless the
 * original's record allows the fork.
 */
import { INLINE_VERSION } from "../chains/resolve";
import { db } from "../db/client";
import { insertRun } from "../db/runs";
import type { Chain } from "../engine/chain";
import type { RunView, StartRun } from "../engine/records";
import type { RunState } from "../engine/run-state";
import type { Env } from "../env";
import { runStub } from "./stub";

export interface ForkRequest {
  from_step: number;
  input?: unknown;
  vars?: Record<string, string>;
  chain?: Chain;
  patch?: unknown;
}

export type ForkOutcome = { ok: true; view: RunView } | { ok: false; status: 400 | 404 | 409; path?: string; message: string };

export async function forkRun(env: Env, sourceId: string, request: ForkRequest): Promise<ForkOutcome> {
  const source = runStub(env, sourceId);
  if (!(await source.view())) return { ok: false, status: 404, message: `No run "${sourceId}".` };
  const seeded = await source.forkSeed({ from_step: request.from_step, ...(request.patch !== undefined ? { patch: request.patch } : {}) });
  if (!seeded.ok) return seeded;
  const { seed } = seeded;
  const chain = request.chain ?? seed.start.chain;
  const next = seed.state.current_task;
  if (!chain.tasks.some((task) => task.id === next)) {
    return { ok: false, status: 400, path: "chain", message: `the fork goes on at task "${next}", which chain "${chain.id}" does not have` };
  }
  const id = crypto.randomUUID();
  const vars = { ...seed.start.vars, ...request.vars };
  const input = request.input !== undefined ? request.input : seed.start.input;
  const start: StartRun = {
    ...seed.start,
    run_id: id,
    chain,
    chain_version: request.chain ? INLINE_VERSION : seed.start.chain_version,
    input,
    vars,
    created_at: Date.now(),
    forked_from: { run_id: sourceId, step: request.from_step },
  };
  const state: RunState = { ...seed.state, run_id: id, chain_id: chain.id, input, vars: { ...seed.state.vars, ...request.vars } };
  const view = await runStub(env, id).startFork(start, state, seed.prefix);
  await insertRun(db(env.DB), view);
  return { ok: true, view };
}
