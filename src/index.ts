/**
 * Switchyard's Worker entry: the HTTP API (Hono), the cron handler and the queue consumer,
 * plus the classes workerd instantiates by name — the ChainRun and Routing Durable Objects and
 * the sandbox's capability and egress entrypoints.
 */
import { createApp } from "./api/app";
import { readConfig } from "./config";
import { db } from "./db/client";
import { deleteExpiredIdempotencyKeys } from "./db/idempotency";
import { IDEMPOTENCY_TTL_MS } from "./api/idempotency";
import type { Env } from "./env";
import { handleQueue } from "./events/consumer";
import { runScheduled } from "./events/scheduled";
import { sweepStaleRuns } from "./run/sweep";
import { triggerEffects } from "./wiring/trigger-effects";

export { ChainRun } from "./wiring/chain-run";
export { Routing } from "./wiring/routing-object";
export { EgressGate, SandboxCapabilities } from "./wiring/entrypoints";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    const now = controller.scheduledTime;
    await Promise.all([
      runScheduled(env, triggerEffects(env), now),
      sweepStaleRuns(env, now, readConfig(env).runWallMs),
      deleteExpiredIdempotencyKeys(db(env.DB), now - IDEMPOTENCY_TTL_MS),
    ]);
  },
  async queue(batch, env) {
    await handleQueue(batch, env, triggerEffects(env));
  },
} satisfies ExportedHandler<Env>;
