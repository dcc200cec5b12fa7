/** `GET /providers`: the configured providers and every registered one with their live health, keys left out. */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { registryOf } from "./document";
import { withHealth } from "./health";

export async function listProvidersRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ data: await withHealth(c, await registryOf(c).list()) });
}
