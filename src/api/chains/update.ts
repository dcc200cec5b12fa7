/** `PUT /chains/:id`: store a new version (also how a bundled chain is overridden). */
import type { Context } from "hono";
import { db } from "../../db/client";
import { saveChain } from "../../db/chains";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { knownToolNames } from "./known-tools";
import { requireValidChain } from "./require-valid";
import { chainDocumentSchema, chainView, savedChainSchema } from "./view";

export const updateChainDoc = describeRoute({
  summary: "Store a new version of a chain (or override a bundled one)",
  body: chainDocumentSchema,
  responses: { 200: { description: "The stored chain, with any warnings", schema: savedChainSchema } },
});

export async function updateChainRoute(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param("id")!;
  const { chain, warnings } = requireValidChain(await c.req.text(), await knownToolNames(c));
  if (chain.id !== id) {
    throw new ApiError(400, "invalid_chain", `The chain's id "${chain.id}" does not match the URL's "${id}".`, { path: "id" });
  }
  const stored = await saveChain(db(c.env.DB), chain, Date.now());
  return c.json({ ...chainView({ ...stored, source: "registry" }), problems: warnings });
}
