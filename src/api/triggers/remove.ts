/** `DELETE /triggers/:id`: stop the trigger; runs it already started are not touched. */
import type { Context } from "hono";
import { db } from "../../db/client";
import { deleteTrigger } from "../../db/triggers";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";

export async function deleteTriggerRoute(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param("id")!;
  if (!(await deleteTrigger(db(c.env.DB), id))) throw new ApiError(404, "not_found", `No trigger "${id}".`);
  return c.json({ id, deleted: true });
}
