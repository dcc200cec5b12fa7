/**
 * Each provider's live health, from the routing object every run reports to: whether it is
 * cooling down and until when, its failures in a row and the last one, its time-to-first-token
 * average and its calls in flight.
 */
import type { Context } from "hono";
import { z } from "zod";
import { HEALTHY, isCooling, type BackendHealth } from "../../llm/health";
import type { ProviderView } from "../../llm/provider-registry";
import { routingObject } from "../../wiring/routing-object";
import type { AppEnv } from "../app-env";
import { providerViewSchema } from "./document";

export interface ProviderHealth {
  cooling_down_until: string | null;
  recent_failures: number;
  last_error: string | null;
  latency_ms: number | null;
  in_flight: number;
}

export const providerHealthSchema = z
  .object({
    cooling_down_until: z.string().nullable().meta({ description: "ISO time the cooldown ends; null when the provider takes calls" }),
    recent_failures: z.int().meta({ description: "Failures in a row" }),
    last_error: z.string().nullable(),
    latency_ms: z.number().nullable().meta({ description: "Average time to the first token" }),
    in_flight: z.int(),
  })
  .meta({ id: "ProviderHealth" }) satisfies z.ZodType<ProviderHealth>;

/** A provider as `GET /providers` and `GET /providers/:name` answer it. */
export const providerWithHealthSchema = providerViewSchema.extend({ health: providerHealthSchema }).meta({ id: "ProviderWithHealth" });

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
