/** `POST /contracts/validate`: every problem of a contract document, with paths; stores nothing. */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { requireValidContract } from "./require-valid";

export async function validateContractRoute(c: Context<AppEnv>): Promise<Response> {
  const { contract, warnings } = await requireValidContract(c);
  return c.json({ ok: true, id: contract.id, problems: warnings });
}
