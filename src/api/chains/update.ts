/**
 * `PUT /chains/:id`: store a new version. It is also how a bundled chain is overridden, which the
 * answer says (`overrides_bundled: true`).
 */
import type { Context } from "hono";
import { bundledChain } from "../../chains/bundled";
import { db } from "../../db/client";
import { saveChain } from "../../db/chains";
import { forgetChain } from "../../chains/resolve";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { knownNames } from "./known-names";
import { requireValidChain } from "./require-valid";
import { chainDocumentSchema, chainView, replacedChainSchema } from "./view";

export const updateChainDoc = describeRoute({
  summary: "Store a new version of a chain (or override a bundled one)",
  body: chainDocumentSchema,
  responses: { 200: { description: "The stored chain, with any warnings", schema: replacedChainSchema } },
});

export async function updateChainRoute(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param("id")!;
  const { chain, warnings } = requireValidChain(await c.req.text(), await knownNames(c));
  if (chain.id !== id) {
    throw new ApiError(400, "invalid_chain", `The chain's id "${chain.id}" does not match the URL's "${id}".`, { path: "id" });
  }
  const stored = await saveChain(db(c.env.DB), chain, Date.now());
  forgetChain(id);
  const overrides = bundledChain(id) ? { overrides_bundled: true } : {};
  return c.json({ ...chainView({ ...stored, source: "registry" }), ...overrides, problems: warnings });
}
