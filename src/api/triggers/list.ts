/** `GET /triggers?type=`: every trigger, newest first. */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { listTriggers } from "../../db/triggers";
import type { AppEnv } from "../app-env";
import { invalidInput } from "../errors";
import { describeRoute } from "../openapi/describe";
import { triggerViews, triggerViewSchema } from "./view";

const listQuery = z.object({ type: z.enum(["cron", "event"]).optional() }).strict();

export const listTriggersDoc = describeRoute({
  summary: "Every trigger, newest first",
  query: listQuery,
  responses: { 200: { description: "The triggers", schema: z.object({ data: z.array(triggerViewSchema) }) } },
});

export async function listTriggersRoute(c: Context<AppEnv>): Promise<Response> {
  const query = listQuery.safeParse(c.req.query());
  if (!query.success) throw invalidInput(query.error, "trigger list query");
  const now = Date.now();
  const d = db(c.env.DB);
  return c.json({ data: await triggerViews(d, await listTriggers(d, { type: query.data.type }), now) });
}
