/** `GET /providers/:name`: one provider with its live health, key left out. */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { registryOf } from "./document";
import { providerWithHealthSchema, withHealth } from "./health";

export const getProviderDoc = describeRoute({
  summary: "One provider, with its live health",
  responses: { 200: { description: "The provider, key left out", schema: providerWithHealthSchema } },
});

export async function getProviderRoute(c: Context<AppEnv>): Promise<Response> {
  const name = c.req.param("name")!;
  const provider = await registryOf(c).find(name);
  if (!provider) throw new ApiError(404, "not_found", `No provider named "${name}" is configured or registered.`);
  const [view] = await withHealth(c, [provider]);
  return c.json(view);
}
