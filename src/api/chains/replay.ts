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
import { describeRoute } from "../openapi/describe";
import { queryTime } from "../query-time";
import { readJson } from "../read-json";
import { replayOutcomeSchema } from "../runs/replay";
import { requireValidChain } from "./require-valid";

export const replayChainBody = z
  .object({
    runs: z.array(z.string().min(1)).min(1).max(100).optional().meta({ description: "The runs to replay; by default the chain's newest" }),
    since: z.union([z.number(), queryTime]).optional().meta({ description: "Only runs created since then (epoch ms or ISO 8601)" }),
    limit: z.int().min(1).max(100).optional().meta({ description: "How many of the newest runs (20 by default)" }),
    chain: z.unknown().optional().meta({ description: "A draft of the chain to replay instead of its current definition" }),
  })
  .strict();

type RunReplay = { run_id: string } & (Omit<ReplayReport, "steps"> & { steps_replayed: number });

const runReplaySchema = replayOutcomeSchema.extend({ run_id: z.string(), steps_replayed: z.int() }) satisfies z.ZodType<RunReplay>;

export const replayChainDoc = describeRoute({
  summary: "Replay a chain against its recent runs",
  description:
    "The regression test for a chain edit: replays the chain's current definition, or the draft in `chain`, against each run's recorded effects, calling nothing, and counts the runs that would behave the same.",
  body: replayChainBody,
  responses: {
    200: {
      description: "How many runs would behave the same, and where each other one would first diverge",
      schema: z.object({ chain_id: z.string(), runs: z.int(), same: z.int(), diverged: z.int(), not_replayable: z.int(), results: z.array(runReplaySchema) }),
    },
  },
});

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
