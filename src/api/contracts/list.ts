/** `GET /contracts`: registered contracts plus bundled ones not overridden. */
import type { Context } from "hono";
import { allContracts } from "../../contract/resolve";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { describeRoute } from "../openapi/describe";
import { contractView, contractViewSchema } from "./view";

export const listContractsDoc = describeRoute({
  summary: "Registered domain contracts, and bundled ones not overridden",
  responses: { 200: { description: "Every contract", schema: z.object({ data: z.array(contractViewSchema) }) } },
});

export async function listContractsRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ data: (await allContracts(c.env)).map(contractView) });
}
