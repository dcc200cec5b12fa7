/** `GET /tools`: every registered service with its tools; credentials show as names only. */
import type { Context } from "hono";
import { db } from "../../db/client";
import { listToolServices } from "../../db/tools";
import type { AppEnv } from "../app-env";
import { serviceView } from "./document";

export async function listToolsRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ data: (await listToolServices(db(c.env.DB))).map(serviceView) });
}
