/** `POST /chains/validate`: every problem of a chain document, with paths; stores nothing. */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { knownNames } from "./known-names";
import { requireValidChain } from "./require-valid";

export async function validateChainRoute(c: Context<AppEnv>): Promise<Response> {
  const { chain, warnings } = requireValidChain(await c.req.text(), await knownNames(c));
  return c.json({ ok: true, id: chain.id, problems: warnings });
}
