/** `GET /functions/:name`: one function, with its code. */
import type { Context } from "hono";
import { db } from "../../db/client";
import { findFunction } from "../../db/functions";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { functionSchema, functionView } from "./view";

export const getFunctionDoc = describeRoute({ summary: "A function, with its code", responses: { 200: { description: "The function", schema: functionSchema } } });

export async function getFunctionRoute(c: Context<AppEnv>): Promise<Response> {
  const name = c.req.param("name")!;
  const fn = await findFunction(db(c.env.DB), name);
  if (!fn) throw new ApiError(404, "not_found", `No function "${name}".`);
  return c.json(functionView(fn, true));
}
