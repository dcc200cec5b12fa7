/** `GET /contracts`: registered contracts plus bundled ones not overridden. */
import type { Context } from "hono";
import { allContracts } from "../../contract/resolve";
import type { AppEnv } from "../app-env";
import { contractView } from "./view";

export async function listContractsRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ data: (await allContracts(c.env)).map(contractView) });
}
