/** `GET /events/:id`: the event and what it fired (runs started, function results). */
import type { Context } from "hono";
import { db } from "../../db/client";
import { findEvent } from "../../db/events";
import { listFires } from "../../db/triggers";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";

const MAX_FIRES = 100;

export async function getEventRoute(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param("id")!;
  const d = db(c.env.DB);
  const event = await findEvent(d, id);
  if (!event) throw new ApiError(404, "not_found", `No event "${id}".`);
  return c.json({ ...event, fires: await listFires(d, { event_id: id, limit: MAX_FIRES }) });
}
