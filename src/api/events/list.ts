/** `GET /events?type=&since=&until=&limit=`: stored domain events, newest first. */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { listEvents } from "../../db/events";
import type { AppEnv } from "../app-env";
import { invalidInput } from "../errors";
import { describeRoute } from "../openapi/describe";
import { queryTime } from "../query-time";
import { eventSchema } from "./view";

const listQuery = z
  .object({
    type: z.string().min(1).optional(),
    since: queryTime.optional(),
    until: queryTime.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export const listEventsDoc = describeRoute({
  summary: "Stored domain events, newest first",
  query: listQuery,
  responses: { 200: { description: "The events", schema: z.object({ data: z.array(eventSchema) }) } },
});

export async function listEventsRoute(c: Context<AppEnv>): Promise<Response> {
  const query = listQuery.safeParse(c.req.query());
  if (!query.success) throw invalidInput(query.error, "event list query");
  return c.json({ data: await listEvents(db(c.env.DB), query.data) });
}
