/** `GET /health`: liveness, without a key. */
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "./app-env";
import { describeRoute } from "./openapi/describe";

export const healthDoc = describeRoute({
  summary: "Liveness",
  tag: "service",
  auth: "none",
  responses: { 200: { description: "The service is up", schema: z.object({ ok: z.literal(true), service: z.literal("switchyard") }) } },
});

export function healthRoute(c: Context<AppEnv>): Response {
  return c.json({ ok: true, service: "switchyard" });
}
