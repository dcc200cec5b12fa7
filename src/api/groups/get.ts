/** `GET /groups/:name`: one group. */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { groupsOf } from "./document";

export async function getGroupRoute(c: Context<AppEnv>): Promise<Response> {
  const name = c.req.param("name")!;
  const group = (await groupsOf(c)).find((g) => g.name === name);
  if (!group) throw new ApiError(404, "not_found", `No group named "${name}" is configured or registered.`);
  return c.json(group);
}
