/** `DELETE /contracts/:id` (role admin): unregister (a bundled contract it overrode becomes visible again). */
import type { Context } from "hono";
import { bundledContract } from "../../contract/bundled";
import { db } from "../../db/client";
import { deleteContract } from "../../db/contracts";
import type { AppEnv } from "../app-env";
import { requireAdmin } from "../auth";
import { ApiError } from "../errors";

export async function deleteContractRoute(c: Context<AppEnv>): Promise<Response> {
  requireAdmin(c.get("role"), "delete a contract");
  const id = c.req.param("id")!;
  if (await deleteContract(db(c.env.DB), id)) return c.json({ id, deleted: true });
  if (bundledContract(id)) throw new ApiError(409, "conflict", `"${id}" is a bundled contract; it cannot be deleted, only overridden with PUT.`);
  throw new ApiError(404, "not_found", `No contract "${id}" is registered.`);
}
