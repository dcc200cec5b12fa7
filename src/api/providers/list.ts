/** `GET /providers`: the configured providers and every registered one with their live health, keys left out. */
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { describeRoute } from "../openapi/describe";
import { registryOf } from "./document";
import { providerWithHealthSchema, withHealth } from "./health";

export const listProvidersDoc = describeRoute({
  summary: "The configured providers and every registered one, with their live health",
  responses: { 200: { description: "The providers, keys left out", schema: z.object({ data: z.array(providerWithHealthSchema) }) } },
});

export async function listProvidersRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ data: await withHealth(c, await registryOf(c).list()) });
}
