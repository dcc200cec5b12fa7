/** `GET /providers`: the configured provider and every registered one, keys left out. */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { registryOf } from "./document";

export async function listProvidersRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ data: await registryOf(c).list() });
}
