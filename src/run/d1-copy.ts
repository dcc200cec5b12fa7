/**
 * D1 is the queryable copy of a run (lists, filters, history); the run's own SQLite is the
 * truth. While a run is stepping, its rows are written at most every `D1_SYNC_MS` (one batch for
 * the steps since the last write) so fast chains do not pay a D1 round trip per step; any pause
 * or end forces the write. A failed write is logged and retried by the next one.
 */
import { db } from "../db/client";
import { syncRun } from "../db/runs";
import type { RunView } from "../engine/records";
import type { RunStore } from "./store";

/** Longest a stepping run leaves D1 behind its own log. */
const D1_SYNC_MS = 250;

export class D1Copy {
  private lastSync = 0;

  constructor(
    private readonly store: RunStore,
    private readonly database: D1Database,
  ) {}

  async sync(view: RunView, force = true): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastSync < D1_SYNC_MS) return;
    this.lastSync = now;
    const synced = this.store.syncedSteps();
    const pending = this.store.stepsFrom(synced);
    try {
      await syncRun(db(this.database), view, pending);
      this.store.setSyncedSteps(synced + pending.length);
    } catch (err) {
      console.error(`run ${view.id}: D1 sync failed`, err);
    }
  }
}
