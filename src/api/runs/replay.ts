/**
 * `POST /runs/:id/replay {chain?}`: runs the chain — the version the run used, or the one in the
 * body — against the run's recorded effects, in memory, calling nothing, and reports the first
 * step that behaves otherwise: `{replayable, diverged, first_divergence, steps}`.
 */
import type { Context } from "hono";
import { z } from "zod";
import type { Divergence, ReplayedStep, ReplayReport } from "../../engine/replay";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { requireValidChain } from "../chains/require-valid";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";

export const replayRunBody = z.object({ chain: z.unknown().optional().meta({ description: "A chain document to replay instead of the version the run used; checked like `POST /chains/validate`" }) }).strict();

const divergenceSchema = z
  .object({
    step: z.int().meta({ description: "The index of the first step that behaves otherwise" }),
    task_id: z.string(),
    reason: z.enum(["task", "handler", "effect", "eval", "error", "output", "transition"]).meta({ description: "What differs: `effect` is another prompt, tool call or program" }),
    message: z.string(),
    recorded: z.unknown(),
    replayed: z.unknown(),
  })
  .meta({ id: "Divergence" }) satisfies z.ZodType<Divergence>;

/** How one run replays, without its steps: what `POST /chains/:id/replay` reports per run too. */
export const replayOutcomeSchema = z.object({
  replayable: z.boolean(),
  reason: z.string().optional().meta({ description: "Why the replay could not go on, when `replayable` is false" }),
  diverged: z.boolean(),
  first_divergence: divergenceSchema.nullable(),
});

const replayedStepSchema = z.object({
  index: z.int(),
  task_id: z.string(),
  handler: z.string(),
  eval: z.string(),
  goto: z.string(),
  error: z.string().nullable(),
}) satisfies z.ZodType<ReplayedStep>;

const runReplaySchema = replayOutcomeSchema.extend({
  run_id: z.string(),
  steps: z.array(replayedStepSchema).meta({ description: "The steps replayed, up to the divergence or the end of the record" }),
}) satisfies z.ZodType<{ run_id: string } & ReplayReport>;

export const replayRunDoc = describeRoute({
  summary: "Replay a run against its recorded effects",
  description:
    "Runs the chain (the version the run used, or `chain`) against the run's recorded effects, in memory, calling no provider, tool or isolate, and reports the first step that behaves otherwise than recorded.",
  body: replayRunBody,
  responses: { 200: { description: "The replay's report", schema: runReplaySchema } },
});

export async function replayRunRoute(c: Context<AppEnv>): Promise<Response> {
  const body = await readJson(c, replayRunBody, "replay request");
  const chain = body.chain === undefined ? undefined : requireValidChain(body.chain, undefined, "chain").chain;
  const id = c.req.param("id")!;
  const report = await runStub(c.env, id).replay(chain);
  if (!report) throw new ApiError(404, "not_found", `No run "${id}".`);
  return c.json({ run_id: id, ...report });
}
