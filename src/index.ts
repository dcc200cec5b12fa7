/**
 * Switchyard's Worker entry: the HTTP API (Hono), the cron handler and the queue consumer,
 * plus the classes workerd instantiates by name — the ChainRun and Routing Durable Objects and
 * the sandbox's capability and egress entrypoints.
 */
import { createApp } from "./api/app";
import { readConfig } from "./config";
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
    await Promise.all([runScheduled(env, triggerEffects(env), controller.scheduledTime), sweepStaleRuns(env, controller.scheduledTime, readConfig(env).runWallMs)]);
  },
  async queue(batch, env) {
    await handleQueue(batch, env, triggerEffects(env));
  },
} satisfies ExportedHandler<Env>;
