/** `GET /functions`: every stored function with its hash and grant (not its code). */
import type { Context } from "hono";
import { db } from "../../db/client";
import { listFunctions } from "../../db/functions";
import type { AppEnv } from "../app-env";
import { functionView } from "./view";

export async function listFunctionsRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ data: (await listFunctions(db(c.env.DB))).map((fn) => functionView(fn, false)) });
}
