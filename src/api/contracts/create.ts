/**
 * `POST /contracts`: register a new contract (role admin: a contract decides what every other
 * role may do). 409 when the id is taken — by a registered contract, or by a bundled one, which
 * only an explicit `PUT` overrides.
 */
import type { Context } from "hono";
import { bundledContract } from "../../contract/bundled";
import { db } from "../../db/client";
import { findContract, saveContract } from "../../db/contracts";
import { refuseTakenId } from "../registered-id";
import type { AppEnv } from "../app-env";
import { requireAdmin } from "../auth";
import { describeRoute } from "../openapi/describe";
import { requireValidContract } from "./require-valid";
import { contractDocumentSchema, contractView, savedContractSchema } from "./view";

export const createContractDoc = describeRoute({
  summary: "Register a domain contract (role admin)",
  description: "A contract with errors is a 400 whose `problems` lists every one with its JSON path. 409 when the id is taken, by a registered contract or a bundled one (`PUT` overrides a bundled contract).",
  body: contractDocumentSchema,
  responses: { 201: { description: "The stored contract, with any warnings", schema: savedContractSchema } },
  errors: [403, 409],
});

export async function createContractRoute(c: Context<AppEnv>): Promise<Response> {
  requireAdmin(c.get("role"), "register a contract");
  const { contract, warnings } = await requireValidContract(c);
  const d = db(c.env.DB);
  await refuseTakenId("contract", contract.id, bundledContract(contract.id) !== undefined, () => findContract(d, contract.id));
  const stored = await saveContract(d, contract, Date.now());
  return c.json({ ...contractView({ ...stored, source: "registry" }), problems: warnings }, 201);
}
