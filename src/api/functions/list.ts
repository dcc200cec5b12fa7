/** `GET /functions`: every stored function with its hash and grant (not its code). */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { listFunctions } from "../../db/functions";
import type { AppEnv } from "../app-env";
import { describeRoute } from "../openapi/describe";
import { functionSummarySchema, functionView } from "./view";

export const listFunctionsDoc = describeRoute({
  summary: "Every stored function, without its code",
  responses: { 200: { description: "The functions", schema: z.object({ data: z.array(functionSummarySchema) }) } },
});

export async function listFunctionsRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ data: (await listFunctions(db(c.env.DB))).map((fn) => functionView(fn, false)) });
}
