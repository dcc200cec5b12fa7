/**
 * Each provider's live health, from the routing object every run reports to: whether it is
 * cooling down and until when, its failures in a row and the last one, its time-to-first-token
 * average and its calls in flight.
 */
import type { Context } from "hono";
import { HEALTHY, isCooling, type BackendHealth } from "../../llm/health";
import type { ProviderView } from "../../llm/provider-registry";
import { routingObject } from "../../wiring/routing-object";
import type { AppEnv } from "../app-env";

export interface ProviderHealth {
  cooling_down_until: string | null;
  recent_failures: number;
  last_error: string | null;
  latency_ms: number | null;
  in_flight: number;
}

export async function withHealth(c: Context<AppEnv>, views: ProviderView[]): Promise<Array<ProviderView & { health: ProviderHealth }>> {
  const snapshot = await routingObject(c.env).snapshot();
  return views.map((view) => ({ ...view, health: healthOf(snapshot.backends[view.name] ?? HEALTHY, snapshot.at) }));
}

function healthOf(health: BackendHealth, now: number): ProviderHealth {
  return {
    cooling_down_until: isCooling(health, now) ? new Date(health.cooling_until!).toISOString() : null,
    recent_failures: health.failures,
    last_error: health.last_error,
    latency_ms: health.latency_ms,
    in_flight: health.in_flight,
  };
}
