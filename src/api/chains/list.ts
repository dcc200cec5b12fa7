/** `GET /chains`: registered chains plus bundled ones not overridden. */
import type { Context } from "hono";
import { allChains } from "../../chains/resolve";
import type { AppEnv } from "../app-env";
import { chainView } from "./view";

export async function listChainsRoute(c: Context<AppEnv>): Promise<Response> {
  const chains = await allChains(c.env);
  return c.json({ data: chains.map(chainView) });
}
