/** `GET /events/:id`: the event and what it fired (runs started, function results). */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { findEvent } from "../../db/events";
import { listFires } from "../../db/triggers";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { fireSchema } from "../triggers/view";
import { eventSchema } from "./view";

const MAX_FIRES = 100;

export const getEventDoc = describeRoute({
  summary: "An event and what it fired",
  responses: { 200: { description: "The event, with the runs started and function results", schema: eventSchema.extend({ fires: z.array(fireSchema) }) } },
});

export async function getEventRoute(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param("id")!;
  const d = db(c.env.DB);
  const event = await findEvent(d, id);
  if (!event) throw new ApiError(404, "not_found", `No event "${id}".`);
  return c.json({ ...event, fires: await listFires(d, { event_id: id, limit: MAX_FIRES }) });
}
