/**
 * Backend health, the routing state every run of a deployment shares: per provider, failures in
 * a row, the cooldown they led to, the last error, a moving average of time to first token and
 * the calls in flight. Pure, so the routing Durable Object (which holds the shared copy) and
 * each isolate's cache (which applies its own outcomes at once) fold outcomes the same way.
 *
 * A backend that fails `allowed_fails` times in a row sits out until its cooldown ends (the
 * provider's `retry-after`, else `cooldown_s`). Its count is kept through the cooldown, so the
 * first call after it is a probe: one more failure sends it back, one success clears it.
 */

export interface BackendHealth {
  /** Failures in a row; a success resets it. */
  failures: number;
  /** Epoch ms until which the backend sits out; null when it does not. */
  cooling_until: number | null;
  last_error: string | null;
  /** Moving average of time to first token, in ms; null before the first success. */
  latency_ms: number | null;
  /** When the latency average last moved. */
  latency_at: number | null;
  in_flight: number;
}

export type Outcome =
  | { provider: string; at: number; ok: true; ttft_ms: number }
  | { provider: string; at: number; ok: false; error: string; allowed_fails: number; cooldown_ms: number };

/** What an isolate sends the routing object: outcomes since its last report and its calls in flight now. */
export interface HealthReport {
  isolate: string;
  in_flight: Record<string, number>;
  outcomes: Outcome[];
}

export interface HealthSnapshot {
  at: number;
  backends: Record<string, BackendHealth>;
}

/** Weight of the newest sample in the latency average. */
const LATENCY_WEIGHT = 0.3;
/** An isolate that has not reported for this long is gone: its calls in flight no longer count. */
const ISOLATE_TTL_MS = 60_000;

export const HEALTHY: BackendHealth = { failures: 0, cooling_until: null, last_error: null, latency_ms: null, latency_at: null, in_flight: 0 };

export function applyOutcome(health: BackendHealth, outcome: Outcome): BackendHealth {
  if (outcome.ok) {
    const latency = health.latency_ms === null ? outcome.ttft_ms : health.latency_ms * (1 - LATENCY_WEIGHT) + outcome.ttft_ms * LATENCY_WEIGHT;
    return { ...health, failures: 0, cooling_until: null, latency_ms: Math.round(latency * 10) / 10, latency_at: outcome.at };
  }
  const failures = health.failures + 1;
  const cooling_until = failures >= outcome.allowed_fails ? outcome.at + outcome.cooldown_ms : health.cooling_until;
  return { ...health, failures, cooling_until, last_error: outcome.error };
}

export function isCooling(health: BackendHealth, now: number): boolean {
  return health.cooling_until !== null && health.cooling_until > now;
}

/** The shared state as the routing object keeps it: outcomes folded per backend, calls in flight per isolate. */
export class HealthBook {
  #backends = new Map<string, BackendHealth>();
  #isolates = new Map<string, { at: number; in_flight: Record<string, number> }>();

  apply(report: HealthReport, now: number): void {
    for (const outcome of report.outcomes) this.#backends.set(outcome.provider, applyOutcome(this.#backends.get(outcome.provider) ?? HEALTHY, outcome));
    this.#isolates.set(report.isolate, { at: now, in_flight: report.in_flight });
  }

  snapshot(now: number): HealthSnapshot {
    const backends: Record<string, BackendHealth> = {};
    for (const [provider, health] of this.#backends) backends[provider] = { ...health, in_flight: 0 };
    for (const [isolate, { at, in_flight }] of this.#isolates) {
      if (now - at > ISOLATE_TTL_MS) {
        this.#isolates.delete(isolate);
        continue;
      }
      for (const [provider, count] of Object.entries(in_flight)) {
        const health = (backends[provider] ??= { ...HEALTHY });
        health.in_flight += count;
      }
    }
    return { at: now, backends };
  }
}
