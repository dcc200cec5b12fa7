/**
 * `PUT /contracts/:id`: store a new version (role admin); runs already started keep the version
 * they bound. It is also how a bundled contract is overridden (`overrides_bundled: true`).
 */
import type { Context } from "hono";
import { bundledContract } from "../../contract/bundled";
import { db } from "../../db/client";
import { saveContract } from "../../db/contracts";
import type { AppEnv } from "../app-env";
import { requireAdmin } from "../auth";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { requireValidContract } from "./require-valid";
import { contractDocumentSchema, contractView, replacedContractSchema } from "./view";

export const updateContractDoc = describeRoute({
  summary: "Store a new version of a domain contract (role admin), or override a bundled one",
  description: "Runs already started keep the version they bound. The contract's `id` must be the URL's.",
  body: contractDocumentSchema,
  responses: { 200: { description: "The stored contract, with any warnings", schema: replacedContractSchema } },
  errors: [403],
});

export async function updateContractRoute(c: Context<AppEnv>): Promise<Response> {
  requireAdmin(c.get("role"), "change a contract");
  const id = c.req.param("id")!;
  const { contract, warnings } = await requireValidContract(c);
  if (contract.id !== id) throw new ApiError(400, "invalid_contract", `The contract's id "${contract.id}" does not match the URL's "${id}".`, { path: "id" });
  const stored = await saveContract(db(c.env.DB), contract, Date.now());
  const overrides = bundledContract(id) ? { overrides_bundled: true } : {};
  return c.json({ ...contractView({ ...stored, source: "registry" }), ...overrides, problems: warnings });
}
