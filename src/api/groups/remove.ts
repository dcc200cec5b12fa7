/** `DELETE /groups/:name`: forget a registered group. */
import type { Context } from "hono";
import { db } from "../../db/client";
import { deleteGroup } from "../../db/groups";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { requireApiOwnedGroup } from "./document";

export const deleteGroupDoc = describeRoute({
  summary: "Forget a registered group",
  responses: { 204: { description: "Deleted" } },
  errors: [409],
});

export async function deleteGroupRoute(c: Context<AppEnv>): Promise<Response> {
  const name = c.req.param("name")!;
  requireApiOwnedGroup(c, name);
  if (!(await deleteGroup(db(c.env.DB), name))) throw new ApiError(404, "not_found", `No group named "${name}" is registered.`);
  return c.body(null, 204);
}
