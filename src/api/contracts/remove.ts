/** `DELETE /contracts/:id` (role admin): unregister (a bundled contract it overrode becomes visible again). */
import type { Context } from "hono";
import { bundledContract } from "../../contract/bundled";
import { db } from "../../db/client";
import { deleteContract } from "../../db/contracts";
import type { AppEnv } from "../app-env";
import { requireAdmin } from "../auth";
import { z } from "zod";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";

export const deleteContractDoc = describeRoute({
  summary: "Unregister a domain contract (role admin; a bundled contract it overrode is served again)",
  responses: { 200: { description: "Deleted", schema: z.object({ id: z.string(), deleted: z.literal(true) }) } },
  errors: [403, 409],
});

export async function deleteContractRoute(c: Context<AppEnv>): Promise<Response> {
  requireAdmin(c.get("role"), "delete a contract");
  const id = c.req.param("id")!;
  if (await deleteContract(db(c.env.DB), id)) return c.json({ id, deleted: true });
  if (bundledContract(id)) throw new ApiError(409, "conflict", `"${id}" is a bundled contract; it cannot be deleted, only overridden with PUT.`);
  throw new ApiError(404, "not_found", `No contract "${id}" is registered.`);
}
