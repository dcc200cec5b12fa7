/**
 * The scheduled sweep for D1 copies that lag behind their runs: a run D1 still lists as not
 * finished, whose row has not changed for longer than a run may take, is asked to rewrite its
 * row. Objects normally catch D1 up themselves (run/d1-copy.ts); this repairs copies whose
 * retries ran out and rows written before that existed.
 */
import { db } from "../db/client";
import { listStaleRuns } from "../db/runs";
import type { Env } from "../env";
import { runStub } from "./stub";

/** Runs resynced per sweep (once a minute), so a backlog is worked off without a burst. */
const SWEEP_LIMIT = 50;

export async function sweepStaleRuns(env: Env, now: number, runWallMs: number): Promise<void> {
  const stale = await listStaleRuns(db(env.DB), now - runWallMs, SWEEP_LIMIT);
  const outcomes = await Promise.allSettled(stale.map((id) => runStub(env, id).resync()));
  outcomes.forEach((o, i) => {
    if (o.status === "rejected") console.error(`sweep: run ${stale[i]} could not be resynced: ${o.reason}`);
  });
}
