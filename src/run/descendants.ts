/**
 * The sub-runs under one root run. Code that calls `executeTaskChain` starts a sub-run, whose code
 * may start more: a chain that runs itself made ten thousand Durable Objects in minutes. So every
 * sub-run, at any depth, is first adopted by its root run's object, which counts them against a
 * budget (`SUB_RUN_MAX_DESCENDANTS`), refuses new ones once the root has ended or is being
 * cancelled, and remembers them, so that cancelling the root cancels every one still live. How
 * deep they nest is bounded where they start (`SUB_RUN_MAX_DEPTH`, the capability host).
 */
import type { Env } from "../env";
import { isTerminal, type Adoption } from "../engine/records";
import type { RunStore } from "./store";
import { runStub } from "./stub";

export function adoptDescendant(store: RunStore, runId: string, limit: number): Adoption {
  const start = store.start();
  const state = store.state();
  if (!start || !state) return { ok: false, error: "its root run does not exist" };
  if (isTerminal(state.status) || store.times().cancel_requested) {
    return { ok: false, error: `its root run ${start.run_id} has ended (${state.status}) and starts no more sub-runs` };
  }
  const known = store.descendants();
  if (!known.includes(runId) && known.length >= limit) {
    return { ok: false, error: `root run ${start.run_id} has already started ${limit} sub-runs at all depths, its limit (SUB_RUN_MAX_DESCENDANTS)` };
  }
  store.addDescendant(runId);
  return { ok: true };
}

/** Cancels each descendant still live; one that already ended answers with its view and stays as it is. */
export async function cancelDescendants(env: Env, runIds: readonly string[]): Promise<void> {
  await Promise.allSettled(runIds.map((id) => runStub(env, id).cancel()));
}
