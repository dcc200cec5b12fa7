/** `GET /runs/:id`: the run as its Durable Object knows it. */
import type { Context } from "hono";
import type { RunView } from "../../engine/records";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { runSchema } from "./view";

export async function requireRun(c: Context<AppEnv>): Promise<RunView> {
  const id = c.req.param("id")!;
  const view = await runStub(c.env, id).view();
  if (!view) throw new ApiError(404, "not_found", `No run "${id}".`);
  return view;
}

export const getRunDoc = describeRoute({ summary: "A run, as its Durable Object knows it", responses: { 200: { description: "The run", schema: runSchema } } });

export async function getRunRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json(await requireRun(c));
}
