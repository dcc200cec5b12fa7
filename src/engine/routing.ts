/**
 * Model routing as the engine sees it: the policies a task may ask for
 * (`execute_config.routing`), and the facts the LLM and embeddings effects report about a call —
 * the backend that served it, the policy, the candidates in the order tried and why any were
 * passed over — so a step can record them. A call that no backend answered carries the same
 * facts on its error.
 */

export const ROUTING_POLICIES = ["round_robin", "random", "least_busy", "least_latency", "highest_context", "priority"] as const;
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];

/** One provider serving one model. */
export interface Backend {
  provider: string;
  model: string;
}

/** Why a candidate did not serve a call: cooling down, lacking a capability, too small a context, or it failed on this call. */
export type SkipReason = "cooldown" | "capability" | "context" | "failed";

export interface Routing {
  policy: RoutingPolicy;
  /** The group a `group:NAME` model named. */
  group?: string;
  /** Every candidate of the pool, in the order the policy put them. */
  candidates: Backend[];
  skipped: Array<Backend & { reason: SkipReason; detail: string }>;
  /** The backend that answered; null when none did. */
  served_by: Backend | null;
}

/** `error` carrying the routing facts of the call that failed with it. */
export function withRouting<E extends Error>(error: E, routing: Routing): E {
  return Object.assign(error, { routing });
}

export function routingOf(error: unknown): Routing | undefined {
  return error instanceof Error && "routing" in error ? (error.routing as Routing) : undefined;
}
