/** `POST /contracts/validate`: every problem of a contract document, with paths; stores nothing. */
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { problemSchema } from "../errors";
import { describeRoute } from "../openapi/describe";
import { requireValidContract } from "./require-valid";
import { contractDocumentSchema } from "./view";

export const validateContractDoc = describeRoute({
  summary: "Check a domain contract without storing it",
  description: "A contract with errors is a 400 whose `problems` lists every one, each with its JSON path; operations no registered tool provides are warnings.",
  body: contractDocumentSchema,
  responses: { 200: { description: "The contract is valid; warnings listed", schema: z.object({ ok: z.literal(true), id: z.string(), problems: z.array(problemSchema) }) } },
});

export async function validateContractRoute(c: Context<AppEnv>): Promise<Response> {
  const { contract, warnings } = await requireValidContract(c);
  return c.json({ ok: true, id: contract.id, problems: warnings });
}
