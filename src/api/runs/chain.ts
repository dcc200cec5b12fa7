/**
 * `GET /runs/:id/chain`: the chain definition the run is running or ran — its own snapshot, so
 * it still draws the run's graph after the chain has changed or when the chain was inline.
 */
import type { Context } from "hono";
import { z } from "zod";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { chainSchema } from "../chains/view";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { requireRun } from "./get";

export const runChainDoc = describeRoute({
  summary: "The chain a run is running or ran",
  description: "The run's own snapshot of its chain: it still draws the run's graph after the chain has changed, or when the chain was inline.",
  responses: {
    200: {
      description: "The run's chain",
      schema: z.object({ run_id: z.string(), chain_id: z.string(), chain_version: z.int().meta({ description: "0 for an inline chain" }), definition: chainSchema }),
    },
  },
});

export async function runChainRoute(c: Context<AppEnv>): Promise<Response> {
  const run = await requireRun(c);
  const definition = await runStub(c.env, run.id).chain();
  if (!definition) throw new ApiError(404, "not_found", `No run "${run.id}".`);
  return c.json({ run_id: run.id, chain_id: run.chain_id, chain_version: run.chain_version, definition });
}
