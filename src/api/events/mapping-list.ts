/** `GET /mappings`: every ingest mapping (secrets shown only as `has_secret`). */
import type { Context } from "hono";
import { db } from "../../db/client";
import { listMappings } from "../../db/events";
import type { AppEnv } from "../app-env";
import { mappingView } from "./view";

export async function listMappingsRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ data: (await listMappings(db(c.env.DB))).map(mappingView) });
}
