/** `GET /groups`: the configured groups and every registered one. */
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { describeRoute } from "../openapi/describe";
import { groupsOf, groupViewSchema } from "./document";

export const listGroupsDoc = describeRoute({
  summary: "The configured groups and every registered one",
  responses: { 200: { description: "The groups", schema: z.object({ data: z.array(groupViewSchema) }) } },
});

export async function listGroupsRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ data: await groupsOf(c) });
}
