/** `GET /tools/:name`: one registered service with its tools; credentials show as names only. */
import type { Context } from "hono";
import { db } from "../../db/client";
import { findToolService } from "../../db/tools";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { serviceView, serviceViewSchema } from "./document";

export const getToolDoc = describeRoute({ summary: "One tool service with its tools", responses: { 200: { description: "The service", schema: serviceViewSchema } } });

export async function getToolRoute(c: Context<AppEnv>): Promise<Response> {
  const name = c.req.param("name")!;
  const service = await findToolService(db(c.env.DB), name);
  if (!service) throw new ApiError(404, "not_found", `No tool service named "${name}" is registered.`);
  return c.json(serviceView(service));
}
