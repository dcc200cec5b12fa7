/**
 * `POST /chains`: register a new chain. 409 when the id is taken — by a registered chain, or by a
 * bundled one, which only an explicit `PUT` overrides.
 */
import type { Context } from "hono";
import { bundledChain } from "../../chains/bundled";
import { db } from "../../db/client";
import { findChain, saveChain } from "../../db/chains";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { knownNames } from "./known-names";
import { requireValidChain } from "./require-valid";
import { chainDocumentSchema, chainView, savedChainSchema } from "./view";

export const createChainDoc = describeRoute({
  summary: "Register a chain",
  description: "409 when the id is taken, by a registered chain or a bundled one (`PUT` overrides a bundled chain).",
  body: chainDocumentSchema,
  responses: { 201: { description: "The stored chain, with any warnings", schema: savedChainSchema } },
  errors: [409],
});

export async function createChainRoute(c: Context<AppEnv>): Promise<Response> {
  const { chain, warnings } = requireValidChain(await c.req.text(), await knownNames(c));
  if (bundledChain(chain.id)) {
    throw new ApiError(409, "conflict", `"${chain.id}" is a bundled chain; to replace it with your own version, PUT /chains/${chain.id} (DELETE then brings the bundled one back).`, { path: "id" });
  }
  const d = db(c.env.DB);
  if (await findChain(d, chain.id)) {
    throw new ApiError(409, "conflict", `A chain with id "${chain.id}" is already registered; use PUT /chains/${chain.id} to update it.`, { path: "id" });
  }
  const stored = await saveChain(d, chain, Date.now());
  return c.json({ ...chainView({ ...stored, source: "registry" }), problems: warnings }, 201);
}
