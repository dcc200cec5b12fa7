/** `DELETE /tools/:name`: forget a service, its tools and its sealed credentials. */
import type { Context } from "hono";
import { db } from "../../db/client";
import { deleteToolService } from "../../db/tools";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";

export const deleteToolDoc = describeRoute({ summary: "Forget a tool service and its credentials", responses: { 204: { description: "Deleted" } } });

export async function deleteToolRoute(c: Context<AppEnv>): Promise<Response> {
  const name = c.req.param("name")!;
  if (!(await deleteToolService(db(c.env.DB), name))) throw new ApiError(404, "not_found", `No tool service named "${name}" is registered.`);
  return c.body(null, 204);
}
