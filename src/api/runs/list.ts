/**
 * `GET /runs?status=&chain_id=&forked_from=&since=&until=&limit=&cursor=`: newest first,
 * cursor-paginated. Times are epoch milliseconds or ISO 8601; `forked_from` lists a run's forks.
 */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { listRuns } from "../../db/runs";
import { RUN_STATUSES } from "../../engine/run-state";
import type { AppEnv } from "../app-env";
import { ApiError, invalidInput } from "../errors";
import { describeRoute } from "../openapi/describe";
import { queryTime } from "../query-time";
import { runSummarySchema } from "./view";

const listQuery = z
  .object({
    status: z.enum(RUN_STATUSES).optional(),
    chain_id: z.string().min(1).optional(),
    forked_from: z.string().min(1).optional(),
    since: queryTime.optional(),
    until: queryTime.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().optional(),
  })
  .strict();

function decodeCursor(cursor: string): { created_at: number; id: string } {
  const [created, ...rest] = atob(cursor).split(":");
  const created_at = Number(created);
  if (!created || Number.isNaN(created_at) || rest.length === 0) throw new ApiError(400, "invalid_request", "The cursor is not one this server issued.", { path: "cursor" });
  return { created_at, id: rest.join(":") };
}

export const listRunsDoc = describeRoute({
  summary: "List runs, newest first",
  query: listQuery,
  responses: {
    200: {
      description: "One page of runs; pass `next_cursor` as `cursor` for the next",
      schema: z.object({ data: z.array(runSummarySchema), next_cursor: z.string().nullable() }),
    },
  },
});

export async function listRunsRoute(c: Context<AppEnv>): Promise<Response> {
  const parsed = listQuery.safeParse(c.req.query());
  if (!parsed.success) throw invalidInput(parsed.error, "run list query");
  const q = parsed.data;
  const rows = await listRuns(db(c.env.DB), {
    status: q.status,
    chain_id: q.chain_id,
    forked_from: q.forked_from,
    since: q.since,
    until: q.until,
    cursor: q.cursor ? decodeCursor(q.cursor) : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return c.json({
    data: page.map((r) => ({
      id: r.id,
      chain_id: r.chain_id,
      chain_version: r.chain_version,
      status: r.status,
      input: r.input === null ? null : JSON.parse(r.input),
      output: r.output === null ? null : JSON.parse(r.output),
      error: r.error === null ? null : JSON.parse(r.error),
      usage: r.usage === null ? null : JSON.parse(r.usage),
      step_count: r.step_count,
      created_at: r.created_at,
      started_at: r.started_at,
      finished_at: r.finished_at,
      ...(r.forked_from_run_id !== null ? { forked_from: { run_id: r.forked_from_run_id, step: r.forked_from_step } } : {}),
      ...(r.principal !== null ? { principal: r.principal } : {}),
    })),
    next_cursor: rows.length > q.limit && last ? btoa(`${last.created_at}:${last.id}`) : null,
  });
}
