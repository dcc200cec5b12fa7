/** `DELETE /mappings/:path`: ingest on that path falls back to the unmapped default. */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { deleteMapping } from "../../db/events";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";

export const deleteMappingDoc = describeRoute({
  summary: "Delete the mapping of an ingest path",
  responses: { 200: { description: "Deleted", schema: z.object({ path: z.string(), deleted: z.literal(true) }) } },
});

export async function deleteMappingRoute(c: Context<AppEnv>): Promise<Response> {
  const path = c.req.param("path")!;
  if (!(await deleteMapping(db(c.env.DB), path))) throw new ApiError(404, "not_found", `No mapping for path "${path}".`);
  return c.json({ path, deleted: true });
}
