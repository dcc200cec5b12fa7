/** `DELETE /providers/:name`: forget a registered provider and its sealed key. */
import type { Context } from "hono";
import { db } from "../../db/client";
import { deleteProvider } from "../../db/providers";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { registryOf, requireApiOwned } from "./document";

export const deleteProviderDoc = describeRoute({
  summary: "Forget a registered provider and its key",
  responses: { 204: { description: "Deleted" } },
  errors: [409],
});

export async function deleteProviderRoute(c: Context<AppEnv>): Promise<Response> {
  const name = c.req.param("name")!;
  requireApiOwned(registryOf(c), name);
  if (!(await deleteProvider(db(c.env.DB), name))) throw new ApiError(404, "not_found", `No provider named "${name}" is registered.`);
  return c.body(null, 204);
}
