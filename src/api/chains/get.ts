/** `GET /chains/:id`: a registered or bundled chain. */
import type { Context } from "hono";
import { resolveChain } from "../../chains/resolve";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { chainView, chainViewSchema } from "./view";

export const getChainDoc = describeRoute({ summary: "A registered or bundled chain", responses: { 200: { description: "The chain", schema: chainViewSchema } } });

export async function getChainRoute(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param("id")!;
  const found = await resolveChain(c.env, id);
  if (!found) throw new ApiError(404, "not_found", `No chain "${id}" is registered or bundled.`);
  return c.json(chainView(found));
}
