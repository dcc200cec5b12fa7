/**
 * `POST /runs/:id/replay {chain?}`: runs the chain — the version the run used, or the one in the
 * body — against the run's recorded effects, in memory, calling nothing, and reports the first
 * step that behaves otherwise: `{replayable, diverged, first_divergence, steps}`.
 */
import type { Context } from "hono";
import { z } from "zod";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { requireValidChain } from "../chains/require-valid";
import { ApiError } from "../errors";
import { readJson } from "../read-json";

export const replayRunBody = z.object({ chain: z.unknown().optional() }).strict();

export async function replayRunRoute(c: Context<AppEnv>): Promise<Response> {
  const body = await readJson(c, replayRunBody, "replay request");
  const chain = body.chain === undefined ? undefined : requireValidChain(body.chain, undefined, "chain").chain;
  const id = c.req.param("id")!;
  const report = await runStub(c.env, id).replay(chain);
  if (!report) throw new ApiError(404, "not_found", `No run "${id}".`);
  return c.json({ run_id: id, ...report });
}
