/** `GET /providers`: the configured provider and every registered one, keys left out. */
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { describeRoute } from "../openapi/describe";
import { providerViewSchema, registryOf } from "./document";

export const listProvidersDoc = describeRoute({
  summary: "The configured providers and every registered one",
  responses: { 200: { description: "The providers, keys left out", schema: z.object({ data: z.array(providerViewSchema) }) } },
});

export async function listProvidersRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ data: await registryOf(c).list() });
}
