/** `DELETE /chains/:id`: unregister (a bundled chain it overrode becomes visible again). */
import type { Context } from "hono";
import { z } from "zod";
import { bundledChain } from "../../chains/bundled";
import { db } from "../../db/client";
import { deleteChain } from "../../db/chains";
import { forgetChain } from "../../chains/resolve";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";

export const deleteChainDoc = describeRoute({
  summary: "Unregister a chain (a bundled chain it overrode is served again)",
  responses: { 200: { description: "Deleted", schema: z.object({ id: z.string(), deleted: z.literal(true) }) } },
  errors: [409],
});

export async function deleteChainRoute(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param("id")!;
  const deleted = await deleteChain(db(c.env.DB), id);
  forgetChain(id);
  if (deleted) return c.json({ id, deleted: true });
  if (bundledChain(id)) throw new ApiError(409, "conflict", `"${id}" is a bundled chain; it cannot be deleted, only overridden with PUT.`);
  throw new ApiError(404, "not_found", `No chain "${id}" is registered.`);
}
