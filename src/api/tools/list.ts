/** `GET /tools`: every registered service with its tools; credentials show as names only. */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { listToolServices } from "../../db/tools";
import type { AppEnv } from "../app-env";
import { describeRoute } from "../openapi/describe";
import { serviceView, serviceViewSchema } from "./document";

export const listToolsDoc = describeRoute({
  summary: "Every registered tool service with its tools",
  responses: { 200: { description: "The services", schema: z.object({ data: z.array(serviceViewSchema) }) } },
});

export async function listToolsRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ data: (await listToolServices(db(c.env.DB))).map(serviceView) });
}
