/**
 * D1 is the queryable copy of a run (lists, filters, history); the run's own SQLite is the
 * truth. The copy is "behind" while the object holds a revision of the run's view, or a step
 * record, that D1 has not acknowledged. While a run is stepping, its rows are written at most
 * every `D1_SYNC_MS` (one batch for the steps since the last write) so fast chains do not pay a
 * D1 round trip per step; any pause or end forces the write. A write that fails is retried by
 * the object's alarm with backoff (`retryDelay`) — terminal runs included — until D1 has caught
 * up or the attempts run out; then the error is logged and shown on the run (`GET /runs/:id`
 * `d1_copy`), and `POST /runs/:id/resync` or the scheduled sweep starts over. Writes are
 * idempotent (the run row and step rows are upserts by key), so a retried batch never
 * duplicates a step.
 */
import { db } from "../db/client";
import { syncRun } from "../db/runs";
import type { D1CopyStatus, RunView, StepRecord } from "../engine/records";
import type { RunStore } from "./store";
import { boundView } from "./bounds";

/** Longest a stepping run leaves D1 behind its own log. */
export const D1_SYNC_MS = 250;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;
/** 1 s, 2 s, 4 s … capped at a minute: about ten minutes of retries in all. */
const MAX_ATTEMPTS = 15;
/** Step records per write, so catching up after a long outage stays within D1's batch limits. */
const MAX_STEPS_PER_WRITE = 100;

export type D1Write = (view: RunView, steps: StepRecord[]) => Promise<void>;

export class D1Copy {
  private lastSync = 0;
  /** The sync under way: syncs run one at a time (see `sync`). */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: RunStore,
    private readonly write: D1Write,
  ) {}

  behind(): boolean {
    const copy = this.store.d1Copy();
    return copy.revision < this.store.revision() || copy.steps < this.store.nextStepIndex();
  }

  /**
   * Writes what D1 lacks. Returns false when the copy is still behind afterwards (the write
   * failed, or a newer revision arrived meanwhile); a skipped write of a stepping run (`force`
   * false, within D1_SYNC_MS of the last) counts as on time, since a later one is certain. The
   * view is built only when a write happens.
   */
  sync(view: () => RunView, force = true): Promise<boolean> {
    // Two writes in flight could land in either order, leaving D1 on the older view while the
    // copy counts the newer one; so each sync waits for the one before it.
    const synced = this.turn.then(() => this.syncNow(view, force));
    this.turn = synced.catch(() => undefined);
    return synced;
  }

  private async syncNow(view: () => RunView, force: boolean): Promise<boolean> {
    const now = Date.now();
    if (!force && now - this.lastSync < D1_SYNC_MS) return true;
    if (!this.behind()) return true;
    this.lastSync = now;
    for (;;) {
      const copy = this.store.d1Copy();
      const revision = this.store.revision();
      const pending = this.store.stepsFrom(copy.steps, MAX_STEPS_PER_WRITE);
      const current = view();
      try {
        await this.write(boundView(current), pending);
      } catch (err) {
        this.failed(current.id, err instanceof Error ? err.message : String(err));
        return false;
      }
      this.store.setD1Copy({ revision, steps: copy.steps + pending.length, attempts: 0, last_error: null, gave_up_at: null });
      if (pending.length < MAX_STEPS_PER_WRITE) return !this.behind();
    }
  }

  /** When to try again after a failed write; undefined once the attempts have run out. */
  retryDelay(): number | undefined {
    const { attempts, gave_up_at } = this.store.d1Copy();
    if (gave_up_at !== null) return undefined;
    return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
  }

  /** Makes the next sync rewrite the run's row and start its retries over (a resync asked for it). */
  reset(): void {
    this.store.setD1Copy({ ...this.store.d1Copy(), revision: 0, attempts: 0, gave_up_at: null });
  }

  /** The copy's state for the run's view, only while it is behind. */
  status(): D1CopyStatus | undefined {
    if (!this.behind()) return undefined;
    const { attempts, last_error, gave_up_at } = this.store.d1Copy();
    return { behind: true, attempts, last_error, gave_up_at };
  }

  private failed(runId: string, error: string): void {
    const copy = this.store.d1Copy();
    const attempts = copy.attempts + 1;
    const gaveUp = attempts >= MAX_ATTEMPTS;
    this.store.setD1Copy({ ...copy, attempts, last_error: error, gave_up_at: gaveUp ? Date.now() : null });
    if (gaveUp) {
      console.error(`run ${runId}: D1 copy gave up after ${attempts} failed writes (last: ${error}); GET /runs lists stale data for it until POST /runs/${runId}/resync succeeds`);
    } else {
      console.error(`run ${runId}: D1 write failed (attempt ${attempts}), retrying: ${error}`);
    }
  }
}

/**
 * The Worker's D1 writer. `faultsUrl` is a test seam (TEST_D1_FAULTS_URL, never set in
 * production): before each write it asks that URL whether to fail, and waits while it does not
 * answer, so a test can make D1 fail or stall for one run without touching anything else.
 */
export function d1Writer(database: D1Database, faultsUrl?: string): D1Write {
  const write: D1Write = (view, steps) => syncRun(db(database), view, steps);
  if (!faultsUrl) return write;
  return async (view, steps) => {
    const url = `${faultsUrl}?run_id=${encodeURIComponent(view.id)}&chain_id=${encodeURIComponent(view.chain_id)}&status=${view.status}`;
    const fault = (await (await fetch(url)).json()) as { fail?: string };
    if (fault.fail) throw new Error(fault.fail);
    await write(view, steps);
  };
}

