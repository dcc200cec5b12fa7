/** `GET /chains`: registered chains plus bundled ones not overridden. */
import type { Context } from "hono";
import { z } from "zod";
import { allChains } from "../../chains/resolve";
import type { AppEnv } from "../app-env";
import { describeRoute } from "../openapi/describe";
import { chainView, chainViewSchema } from "./view";

export const listChainsDoc = describeRoute({
  summary: "Registered chains, and bundled ones not overridden",
  responses: { 200: { description: "Every chain", schema: z.object({ data: z.array(chainViewSchema) }) } },
});

export async function listChainsRoute(c: Context<AppEnv>): Promise<Response> {
  const chains = await allChains(c.env);
  return c.json({ data: chains.map(chainView) });
}
