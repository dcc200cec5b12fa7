/**
 * Switchyard's Worker entry: the HTTP API (Hono), the cron handler and the queue consumer,
 * plus the classes workerd instantiates by name — the ChainRun Durable Object and the
 * sandbox's capability and egress entrypoints.
 */
import { createApp } from "./api/app";
import type { Env } from "./env";
import { handleQueue } from "./events/consumer";
import { runScheduled } from "./events/scheduled";

export { ChainRun } from "./run/chain-run";
export { EgressGate, SandboxCapabilities } from "./sandbox/entrypoints";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    await runScheduled(env, controller.scheduledTime);
  },
  queue: handleQueue,
} satisfies ExportedHandler<Env>;
