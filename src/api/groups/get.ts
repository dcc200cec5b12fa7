/** `GET /groups/:name`: one group. */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { groupsOf, groupViewSchema } from "./document";

export const getGroupDoc = describeRoute({ summary: "One group", responses: { 200: { description: "The group", schema: groupViewSchema } } });

export async function getGroupRoute(c: Context<AppEnv>): Promise<Response> {
  const name = c.req.param("name")!;
  const group = (await groupsOf(c)).find((g) => g.name === name);
  if (!group) throw new ApiError(404, "not_found", `No group named "${name}" is configured or registered.`);
  return c.json(group);
}
