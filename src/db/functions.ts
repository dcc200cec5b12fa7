/** Stored JS functions: code, its content hash and the grant it runs under. */
import { asc, eq } from "drizzle-orm";
import type { FunctionGrant, StoredFunction } from "../events/types";
import type { Db } from "./client";
import { functions } from "./schema";

function toFunction(row: typeof functions.$inferSelect): StoredFunction {
  return { ...row, grant: JSON.parse(row.grant) as FunctionGrant };
}

export async function findFunction(d: Db, name: string): Promise<StoredFunction | undefined> {
  const row = await d.select().from(functions).where(eq(functions.name, name)).get();
  return row ? toFunction(row) : undefined;
}

export async function listFunctions(d: Db): Promise<StoredFunction[]> {
  const rows = await d.select().from(functions).orderBy(asc(functions.name)).all();
  return rows.map(toFunction);
}

/** Creates or replaces a function; `created` says which. */
export async function saveFunction(
  d: Db,
  fn: Pick<StoredFunction, "name" | "code" | "hash" | "grant">,
  now: number,
): Promise<{ stored: StoredFunction; created: boolean }> {
  const existing = await findFunction(d, fn.name);
  const row = { ...fn, grant: JSON.stringify(fn.grant), created_at: existing?.created_at ?? now, updated_at: now };
  await d
    .insert(functions)
    .values(row)
    .onConflictDoUpdate({ target: functions.name, set: { code: row.code, hash: row.hash, grant: row.grant, updated_at: now } });
  return { stored: { ...fn, created_at: row.created_at, updated_at: now }, created: !existing };
}

export async function deleteFunction(d: Db, name: string): Promise<boolean> {
  const deleted = await d.delete(functions).where(eq(functions.name, name)).returning({ name: functions.name });
  return deleted.length > 0;
}
