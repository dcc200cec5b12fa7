/**
 * `POST /chains/:id/replay {runs?, since?, limit?, chain?}`: the regression test for a chain
 * edit. Replays the chain's current definition — or the draft in `chain` — against its recent
 * runs (the newest `limit`, 20 by default, created since `since`) or the runs named, each
 * against its own recorded effects and calling nothing, and answers how many would behave the
 * same and where each other one would first diverge.
 */
import type { Context } from "hono";
import { z } from "zod";
import { resolveChain } from "../../chains/resolve";
import { db } from "../../db/client";
import { listRuns } from "../../db/runs";
import type { Chain } from "../../engine/chain";
import type { ReplayReport } from "../../engine/replay";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { queryTime } from "../query-time";
import { readJson } from "../read-json";
import { requireValidChain } from "./require-valid";

export const replayChainBody = z
  .object({
    runs: z.array(z.string().min(1)).min(1).max(100).optional(),
    since: z.union([z.number(), queryTime]).optional(),
    limit: z.int().min(1).max(100).optional(),
    chain: z.unknown().optional(),
  })
  .strict();

type RunReplay = { run_id: string } & (Omit<ReplayReport, "steps"> & { steps_replayed: number });

export async function replayChainRoute(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param("id")!;
  const body = await readJson(c, replayChainBody, "chain replay request");
  const chain = await chainToReplay(c, id, body.chain);
  const runIds = body.runs ?? (await listRuns(db(c.env.DB), { chain_id: id, since: body.since, limit: body.limit ?? 20 })).map((run) => run.id);
  const results = await Promise.all(runIds.map((runId) => replayOne(c, runId, chain)));
  const count = (test: (r: RunReplay) => boolean) => results.filter(test).length;
  return c.json({
    chain_id: id,
    runs: results.length,
    same: count((r) => r.replayable && !r.diverged),
    diverged: count((r) => r.diverged),
    not_replayable: count((r) => !r.replayable && !r.diverged),
    results,
  });
}

async function chainToReplay(c: Context<AppEnv>, id: string, draft: unknown): Promise<Chain> {
  if (draft !== undefined) {
    const { chain } = requireValidChain(draft, undefined, "chain");
    if (chain.id !== id) throw new ApiError(400, "invalid_request", `The draft is chain "${chain.id}", not "${id}".`, { path: "chain.id" });
    return chain;
  }
  const found = await resolveChain(c.env, id);
  if (!found) throw new ApiError(404, "not_found", `No chain "${id}" is registered or bundled.`);
  return found.chain;
}

async function replayOne(c: Context<AppEnv>, runId: string, chain: Chain): Promise<RunReplay> {
  const stub = runStub(c.env, runId);
  const view = await stub.view();
  const refused = (reason: string): RunReplay => ({ run_id: runId, replayable: false, reason, diverged: false, first_divergence: null, steps_replayed: 0 });
  if (!view) return refused(`No run "${runId}".`);
  if (view.chain_id !== chain.id) return refused(`Run "${runId}" is a run of chain "${view.chain_id}".`);
  const report = await stub.replay(chain);
  if (!report) return refused(`No run "${runId}".`);
  const { steps, ...rest } = report;
  return { run_id: runId, ...rest, steps_replayed: steps.length };
}
