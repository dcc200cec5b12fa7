/**
 * Switchyard's Worker entry: the HTTP API (Hono), the cron handler and the queue consumer,
 * plus the classes workerd instantiates by name — the ChainRun Durable Object and the
 * sandbox's capability and egress entrypoints.
 */
import { createApp } from "./api/app";
import type { Env } from "./env";

export { ChainRun } from "./run/chain-run";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
