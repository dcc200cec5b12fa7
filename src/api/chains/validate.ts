/** `POST /chains/validate`: every problem of a chain document, with paths; stores nothing. */
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { problemSchema } from "../errors";
import { describeRoute } from "../openapi/describe";
import { knownNames } from "./known-names";
import { requireValidChain } from "./require-valid";
import { chainDocumentSchema } from "./view";

export const validateChainDoc = describeRoute({
  summary: "Check a chain without storing it",
  description: "A chain with errors is a 400 whose `problems` lists every one, each with its JSON path.",
  body: chainDocumentSchema,
  responses: { 200: { description: "The chain is valid; warnings listed", schema: z.object({ ok: z.literal(true), id: z.string(), problems: z.array(problemSchema) }) } },
});

export async function validateChainRoute(c: Context<AppEnv>): Promise<Response> {
  const { chain, warnings } = requireValidChain(await c.req.text(), await knownNames(c));
  return c.json({ ok: true, id: chain.id, problems: warnings });
}
