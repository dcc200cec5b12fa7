/**
 * Run and step rows in D1: what `GET /runs` lists and filters. The run's Durable Object
 * writes them as it goes; they are a queryable copy, the DO holds the truth.
 */
import { and, desc, eq, getTableColumns, gte, inArray, lt, lte, or, type SQL } from "drizzle-orm";
import type { RunView, StepRecord } from "../engine/records";
import type { Db } from "./client";
import { runs, steps } from "./schema";

export function runRow(view: RunView): typeof runs.$inferInsert {
  return {
    id: view.id,
    chain_id: view.chain_id,
    chain_version: view.chain_version,
    status: view.status,
    input: JSON.stringify(view.input ?? null),
    output: view.output === null || view.output === undefined ? null : JSON.stringify(view.output),
    error: view.error ? JSON.stringify(view.error) : null,
    usage: JSON.stringify(view.usage),
    step_count: view.step_count,
    created_at: view.created_at,
    started_at: view.started_at,
    finished_at: view.finished_at,
    updated_at: Date.now(),
    forked_from_run_id: view.forked_from?.run_id ?? null,
    forked_from_step: view.forked_from?.step ?? null,
    principal: view.principal ?? null,
  };
}

function stepRow(runId: string, step: StepRecord): typeof steps.$inferInsert {
  return {
    run_id: runId,
    index: step.index,
    task_id: step.task_id,
    handler: step.handler,
    eval: step.eval,
    goto: step.goto,
    started_at: step.started_at,
    duration_ms: step.duration_ms,
    error: step.error ? JSON.stringify(step.error) : null,
    attempt: step.attempt,
    model: step.model,
    prompt_tokens: step.usage?.prompt_tokens ?? null,
    completion_tokens: step.usage?.completion_tokens ?? null,
  };
}

/** Records a new run unless its Durable Object already wrote a newer row. */
export async function insertRun(d: Db, view: RunView): Promise<void> {
  await d.insert(runs).values(runRow(view)).onConflictDoNothing();
}

/**
 * Step rows are upserted by one statement per batch, as plain SQL written once from the schema:
 * the rows travel as one JSON array, bound as a single parameter and unpacked by `json_each`.
 * D1 binds at most 100 parameters to a statement (seven step rows) and works through a
 * database's statements one at a time; drizzle building a statement per step cost a stepping run
 * more CPU than the rest of its step.
 */
const STEP_COLUMNS = Object.entries(getTableColumns(steps)) as Array<[keyof typeof steps.$inferInsert, { name: string }]>;
const UPSERT_STEPS =
  `INSERT INTO steps (${STEP_COLUMNS.map(([, c]) => `"${c.name}"`).join(", ")}) ` +
  `SELECT ${STEP_COLUMNS.map((_, i) => `json_extract(value, '$[${i}]')`).join(", ")} FROM json_each(?) WHERE true ` +
  `ON CONFLICT ("${steps.run_id.name}", "${steps.index.name}") DO UPDATE SET ${STEP_COLUMNS.map(([, c]) => `"${c.name}" = excluded."${c.name}"`).join(", ")}`;
/** The longest JSON text one statement binds, well under D1's 2 MB limit on a value. */
const STEP_JSON_UNITS = 500_000;

/** Writes the run's new summary and the step records D1 does not have yet, in one batch. */
export async function syncRun(d: Db, view: RunView, newSteps: StepRecord[] = []): Promise<void> {
  const row = runRow(view);
  const upsertRun = d.insert(runs).values(row).onConflictDoUpdate({ target: runs.id, set: row }).toSQL();
  const statements = [d.$client.prepare(upsertRun.sql).bind(...upsertRun.params)];
  let batch: string[] = [];
  let units = 0;
  const flush = () => {
    if (batch.length > 0) statements.push(d.$client.prepare(UPSERT_STEPS).bind(`[${batch.join(",")}]`));
    batch = [];
    units = 0;
  };
  for (const step of newSteps) {
    const s = stepRow(view.id, step);
    const values = JSON.stringify(STEP_COLUMNS.map(([key]) => s[key] ?? null));
    if (units + values.length > STEP_JSON_UNITS) flush();
    batch.push(values);
    units += values.length + 1;
  }
  flush();
  await d.$client.batch(statements);
}

/** Runs D1 lists as not finished whose row has not changed since `before`: candidates for a resync. */
export async function listStaleRuns(d: Db, before: number, limit: number): Promise<string[]> {
  const rows = await d
    .select({ id: runs.id })
    .from(runs)
    .where(and(inArray(runs.status, ["queued", "running", "waiting"]), lt(runs.updated_at, before)))
    .orderBy(runs.updated_at)
    .limit(limit)
    .all();
  return rows.map((r) => r.id);
}

export interface RunFilter {
  status?: string;
  chain_id?: string;
  /** Only the forks of this run. */
  forked_from?: string;
  since?: number;
  until?: number;
  /** Opaque cursor from the previous page: `<created_at>:<id>`. */
  cursor?: { created_at: number; id: string };
  limit: number;
}

export async function listRuns(d: Db, filter: RunFilter): Promise<Array<typeof runs.$inferSelect>> {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(runs.status, filter.status));
  if (filter.chain_id) conditions.push(eq(runs.chain_id, filter.chain_id));
  if (filter.forked_from) conditions.push(eq(runs.forked_from_run_id, filter.forked_from));
  if (filter.since !== undefined) conditions.push(gte(runs.created_at, filter.since));
  if (filter.until !== undefined) conditions.push(lte(runs.created_at, filter.until));
  if (filter.cursor) {
    const { created_at, id } = filter.cursor;
    conditions.push(or(lt(runs.created_at, created_at), and(eq(runs.created_at, created_at), lt(runs.id, id)))!);
  }
  return d
    .select()
    .from(runs)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(runs.created_at), desc(runs.id))
    .limit(filter.limit)
    .all();
}
