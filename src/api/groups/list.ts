/** `GET /groups`: the configured groups and every registered one. */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { groupsOf } from "./document";

export async function listGroupsRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ data: await groupsOf(c) });
}
