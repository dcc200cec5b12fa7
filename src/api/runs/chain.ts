/**
 * `GET /runs/:id/chain`: the chain definition the run is running or ran — its own snapshot, so
 * it still draws the run's graph after the chain has changed or when the chain was inline.
 */
import type { Context } from "hono";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { requireRun } from "./get";

export async function runChainRoute(c: Context<AppEnv>): Promise<Response> {
  const run = await requireRun(c);
  const definition = await runStub(c.env, run.id).chain();
  if (!definition) throw new ApiError(404, "not_found", `No run "${run.id}".`);
  return c.json({ run_id: run.id, chain_id: run.chain_id, chain_version: run.chain_version, definition });
}
