/** `GET /triggers/:id`: the trigger and its most recent fires (runs started, function results, errors). */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { findTrigger, listFires } from "../../db/triggers";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { fireSchema, triggerViews, triggerViewSchema } from "./view";

const RECENT_FIRES = 50;

export const getTriggerDoc = describeRoute({
  summary: "A trigger and its most recent fires",
  responses: { 200: { description: "The trigger", schema: triggerViewSchema.extend({ fires: z.array(fireSchema) }) } },
});

export async function getTriggerRoute(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param("id")!;
  const d = db(c.env.DB);
  const trigger = await findTrigger(d, id);
  if (!trigger) throw new ApiError(404, "not_found", `No trigger "${id}".`);
  const fires = await listFires(d, { trigger_id: id, limit: RECENT_FIRES });
  const [view] = await triggerViews(d, [trigger], Date.now());
  return c.json({ ...view, fires });
}
