/** `GET /contracts/:id`: a registered or bundled contract. */
import type { Context } from "hono";
import { resolveContract } from "../../contract/resolve";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { contractView, contractViewSchema } from "./view";

export const getContractDoc = describeRoute({ summary: "A registered or bundled domain contract", responses: { 200: { description: "The contract", schema: contractViewSchema } } });

export async function getContractRoute(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param("id")!;
  const found = await resolveContract(c.env, id);
  if (!found) throw new ApiError(404, "not_found", `No contract "${id}" is registered or bundled.`);
  return c.json(contractView(found));
}
