/**
 * This isolate's copy of the shared routing state. The truth lives in one Durable Object (the
 * routing object) that every run of the deployment reports to; asking it before every call
 * would put a round trip on each call's path, so each isolate keeps a copy, applies its own
 * outcomes to it at once, and exchanges them for the merged state in the background, in
 * batches: when a backend fails (other runs should stop sending it calls soon), when the
 * isolate has no call left in flight (a quiet isolate keeps nothing back), when its oldest
 * unsent outcome is `flushMs` old, or when its copy is `refreshMs` old. Only the first call in
 * an isolate waits for the object.
 *
 * A Worker may not use one request's I/O from another, so the copy holds plain data only: each
 * exchange is started by the call that finds it due, with that call's own stub, and is never
 * awaited by anyone else.
 */
import { applyOutcome, HEALTHY, type BackendHealth, type HealthReport, type HealthSnapshot, type Outcome } from "./health";

/** The routing object's side of the exchange. */
export interface HealthRemote {
  report(report: HealthReport): Promise<HealthSnapshot>;
}

export interface RoutingStateOptions {
  flushMs?: number;
  refreshMs?: number;
  now?: () => number;
}

/** An exchange that has not settled in this long was lost with the request that started it. */
const LOST_MS = 5_000;

export class RoutingState {
  readonly #flushMs: number;
  readonly #refreshMs: number;
  readonly #now: () => number;
  #isolate?: string;
  #view: Record<string, BackendHealth> = {};
  #fetchedAt: number | undefined;
  /** Outcomes not yet sent; the oldest one's time. */
  #pending: Outcome[] = [];
  #pendingSince: number | undefined;
  /** This isolate's calls in flight now, and as its last report counted them (they are in the view's totals). */
  #inFlight: Record<string, number> = {};
  #reported: Record<string, number> = {};
  #exchangeStarted: number | undefined;
  #turns = new Map<string, number>();

  constructor(options: RoutingStateOptions = {}) {
    this.#flushMs = options.flushMs ?? 250;
    this.#refreshMs = options.refreshMs ?? 1_000;
    this.#now = options.now ?? Date.now;
  }

  /** Waits for the first copy of the shared state, once per isolate (unless another call is already fetching it). */
  async ready(remote: () => HealthRemote): Promise<void> {
    if (this.#fetchedAt === undefined && this.#exchangeStarted === undefined) await this.#exchange(remote);
  }

  health(provider: string): BackendHealth {
    const shared = this.#view[provider] ?? HEALTHY;
    const inFlight = shared.in_flight - (this.#reported[provider] ?? 0) + (this.#inFlight[provider] ?? 0);
    return { ...shared, in_flight: Math.max(0, inFlight) };
  }

  /** The next turn of a round-robin pool. */
  nextTurn(pool: string): number {
    const turn = this.#turns.get(pool) ?? 0;
    this.#turns.set(pool, turn + 1);
    return turn;
  }

  begin(provider: string): void {
    this.#inFlight[provider] = (this.#inFlight[provider] ?? 0) + 1;
  }

  /** Ends a call; `outcome` is absent for one that says nothing about the backend's health (a refused request, a cancelled call). */
  end(provider: string, outcome: Outcome | undefined, remote: () => HealthRemote): void {
    this.#inFlight[provider] = Math.max(0, (this.#inFlight[provider] ?? 0) - 1);
    if (outcome) {
      this.#view[provider] = applyOutcome(this.#view[provider] ?? HEALTHY, outcome);
      this.#pending.push(outcome);
      this.#pendingSince ??= this.#now();
    }
    const idle = Object.values(this.#inFlight).every((count) => count === 0);
    this.sync(remote, outcome?.ok === false || (idle && this.#pending.length > 0));
  }

  /** Starts an exchange in the background when one is due (or `now`). */
  sync(remote: () => HealthRemote, now = false): void {
    const at = this.#now();
    if (this.#exchangeStarted !== undefined && at - this.#exchangeStarted < LOST_MS) return;
    const due =
      now ||
      this.#fetchedAt === undefined ||
      at - this.#fetchedAt >= this.#refreshMs ||
      (this.#pendingSince !== undefined && at - this.#pendingSince >= this.#flushMs);
    if (due) void this.#exchange(remote);
  }

  async #exchange(remote: () => HealthRemote): Promise<void> {
    const started = this.#now();
    this.#exchangeStarted = started;
    const report: HealthReport = { isolate: this.#isolateId(), in_flight: { ...this.#inFlight }, outcomes: this.#pending };
    this.#pending = [];
    this.#pendingSince = undefined;
    try {
      const snapshot = await remote().report(report);
      this.#view = snapshot.backends;
      this.#reported = report.in_flight;
      // Outcomes that ended while the report was on its way are not in the snapshot yet.
      for (const outcome of this.#pending) this.#view[outcome.provider] = applyOutcome(this.#view[outcome.provider] ?? HEALTHY, outcome);
    } catch (error) {
      // Routing goes on with this isolate's own view; the outcomes go with the next exchange.
      console.warn(`routing state: the routing object did not answer (${error instanceof Error ? error.message : String(error)})`);
      this.#pending = [...report.outcomes, ...this.#pending];
      this.#pendingSince ??= started;
    } finally {
      this.#fetchedAt = this.#now();
      if (this.#exchangeStarted === started) this.#exchangeStarted = undefined;
    }
  }

  /** Made on first use: a Worker may not draw random values at startup. */
  #isolateId(): string {
    return (this.#isolate ??= crypto.randomUUID());
  }
}
