/** `GET /mappings`: every ingest mapping (secrets shown only as `has_secret`). */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { listMappings } from "../../db/events";
import type { AppEnv } from "../app-env";
import { describeRoute } from "../openapi/describe";
import { mappingView, mappingViewSchema } from "./view";

export const listMappingsDoc = describeRoute({
  summary: "Every ingest mapping",
  responses: { 200: { description: "The mappings (secrets shown only as `has_secret`)", schema: z.object({ data: z.array(mappingViewSchema) }) } },
});

export async function listMappingsRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ data: (await listMappings(db(c.env.DB))).map(mappingView) });
}
