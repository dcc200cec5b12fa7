/**
 * `PATCH /triggers/:id {enabled}`: pause or resume a trigger without losing it or its fires. A
 * disabled cron trigger does not fire and a disabled event trigger does not dispatch; enabling
 * it again fires only occurrences from then on (missed minutes and events are not replayed).
 */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { setTriggerEnabled } from "../../db/triggers";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { triggerViews, triggerViewSchema } from "./view";

export const updateTriggerBody = z.object({ enabled: z.boolean({ error: "enabled must be true or false" }) }).strict();

export const updateTriggerDoc = describeRoute({
  summary: "Pause or resume a trigger",
  body: updateTriggerBody,
  responses: { 200: { description: "The trigger", schema: triggerViewSchema } },
});

export async function updateTriggerRoute(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param("id")!;
  const body = await readJson(c, updateTriggerBody, "trigger update");
  const d = db(c.env.DB);
  const trigger = await setTriggerEnabled(d, id, body.enabled);
  if (!trigger) throw new ApiError(404, "not_found", `No trigger "${id}".`);
  const [view] = await triggerViews(d, [trigger], Date.now());
  return c.json(view);
}
