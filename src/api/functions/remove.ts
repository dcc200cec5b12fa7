/** `DELETE /functions/:name`: refused (409) while a trigger still runs the function. */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { deleteFunction } from "../../db/functions";
import { triggersUsingFunction } from "../../db/triggers";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";

export const deleteFunctionDoc = describeRoute({
  summary: "Delete a function no trigger runs",
  responses: { 200: { description: "Deleted", schema: z.object({ name: z.string(), deleted: z.literal(true) }) } },
  errors: [409],
});

export async function deleteFunctionRoute(c: Context<AppEnv>): Promise<Response> {
  const name = c.req.param("name")!;
  const d = db(c.env.DB);
  const users = await triggersUsingFunction(d, name);
  if (users.length > 0) {
    throw new ApiError(409, "conflict", `Function "${name}" is run by trigger(s) ${users.join(", ")}; delete those first (DELETE /triggers/:id).`);
  }
  if (!(await deleteFunction(d, name))) throw new ApiError(404, "not_found", `No function "${name}".`);
  return c.json({ name, deleted: true });
}
