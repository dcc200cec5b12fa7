/**
 * `POST /chains`: register a new chain. 409 when the id is taken — by a registered chain, or by a
 * bundled one, which only an explicit `PUT` overrides.
 */
import type { Context } from "hono";
import { bundledChain } from "../../chains/bundled";
import { db } from "../../db/client";
import { findChain, saveChain } from "../../db/chains";
import { forgetChain } from "../../chains/resolve";
import { refuseTakenId } from "../registered-id";
import type { AppEnv } from "../app-env";
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
  const d = db(c.env.DB);
  await refuseTakenId("chain", chain.id, bundledChain(chain.id) !== undefined, () => findChain(d, chain.id));
  const stored = await saveChain(d, chain, Date.now());
  forgetChain(chain.id);
  return c.json({ ...chainView({ ...stored, source: "registry" }), problems: warnings }, 201);
}
