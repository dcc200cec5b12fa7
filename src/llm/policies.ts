/**
 * Routing policies: each puts a pool's candidates in the order they are tried — the first
 * serves the call, the rest are its failover.
 *
 * | policy            | order                                                              |
 * |-------------------|--------------------------------------------------------------------|
 * | `priority`        | as declared (group members, else providers in listing order)       |
 * | `round_robin`     | as declared, starting one further at each call                     |
 * | `random`          | drawn by weight (a group member's `weight`, else 1)                |
 * | `least_busy`      | fewest calls in flight first                                       |
 * | `least_latency`   | lowest moving average of time to first token first; a backend with no recent sample first of all, so it gets measured |
 * | `highest_context` | largest context window first                                       |
 */
import type { RoutingPolicy } from "../engine/routing";
import type { BackendHealth } from "./health";
import type { Candidate } from "./pool";

export interface PolicyContext {
  health(provider: string): BackendHealth;
  /** The pool's next round-robin turn. */
  turn(): number;
  /** A number in [0, 1). */
  random(): number;
  now: number;
}

/** A latency sample older than this no longer counts: the backend is measured again. */
const LATENCY_STALE_MS = 60_000;

type Policy = (candidates: Candidate[], context: PolicyContext) => Candidate[];

export const POLICIES: Record<RoutingPolicy, Policy> = {
  priority: (candidates) => candidates,
  round_robin: (candidates, context) => rotate(candidates, context.turn()),
  random: weightedShuffle,
  // Rotated first, so ties take turns rather than always falling to the first declared.
  least_busy: (candidates, context) => sortBy(rotate(candidates, context.turn()), (c) => context.health(c.provider.name).in_flight),
  least_latency: (candidates, context) =>
    sortBy(rotate(candidates, context.turn()), (c) => {
      const { latency_ms, latency_at } = context.health(c.provider.name);
      return latency_ms === null || latency_at === null || context.now - latency_at > LATENCY_STALE_MS ? -1 : latency_ms;
    }),
  highest_context: (candidates) => sortBy(candidates, (c) => -(c.info?.context_length ?? 0)),
};

function rotate<T>(items: T[], turn: number): T[] {
  const start = items.length === 0 ? 0 : turn % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

/** A stable sort by `key`, ascending. */
function sortBy<T>(items: T[], key: (item: T) => number): T[] {
  return items
    .map((item, index) => ({ item, index, key: key(item) }))
    .sort((a, b) => a.key - b.key || a.index - b.index)
    .map(({ item }) => item);
}

/** Draws every candidate in turn, each with a chance proportional to its weight among those left. */
function weightedShuffle(candidates: Candidate[], context: PolicyContext): Candidate[] {
  const left = [...candidates];
  const order: Candidate[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, c) => sum + c.weight, 0);
    let draw = context.random() * total;
    const index = left.findIndex((c) => (draw -= c.weight) < 0);
    // Rounding can leave the draw a hair above zero after the last candidate.
    order.push(...left.splice(index === -1 ? left.length - 1 : index, 1));
  }
  return order;
}
