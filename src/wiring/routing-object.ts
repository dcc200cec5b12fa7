/**
 * The routing object: the one Durable Object (named "routing") that holds the routing state
 * every run of the deployment shares — backend health, latency averages, calls in flight. Each
 * isolate reports its outcomes in batches and gets the merged state back (llm/routing-state.ts).
 * The state lives in memory: if the object is evicted, which takes a quiet spell, backends start
 * healthy again.
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { HealthBook, type HealthReport, type HealthSnapshot } from "../llm/health";
import type { HealthRemote } from "../llm/routing-state";

export class Routing extends DurableObject<Env> {
  readonly #book = new HealthBook();

  report(report: HealthReport): HealthSnapshot {
    this.#book.apply(report, Date.now());
    return this.#book.snapshot(Date.now());
  }

  snapshot(): HealthSnapshot {
    return this.#book.snapshot(Date.now());
  }
}

/** The routing object's stub, typed at this boundary (the RPC types workers-types derives are loose). */
export function routingObject(env: Pick<Env, "ROUTING">): HealthRemote & { snapshot(): Promise<HealthSnapshot> } {
  return env.ROUTING.get(env.ROUTING.idFromName("routing")) as unknown as HealthRemote & { snapshot(): Promise<HealthSnapshot> };
}
