/** `DELETE /triggers/:id`: stop the trigger; runs it already started are not touched. */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { deleteTrigger } from "../../db/triggers";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";

export const deleteTriggerDoc = describeRoute({
  summary: "Delete a trigger (runs it started are not touched)",
  responses: { 200: { description: "Deleted", schema: z.object({ id: z.string(), deleted: z.literal(true) }) } },
});

export async function deleteTriggerRoute(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param("id")!;
  if (!(await deleteTrigger(db(c.env.DB), id))) throw new ApiError(404, "not_found", `No trigger "${id}".`);
  return c.json({ id, deleted: true });
}
