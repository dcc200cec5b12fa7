/**
 * The drizzle handle over the `DB` binding. Building one walks the whole schema (a third of a
 * millisecond), and every run's wiring asks for it, so one handle is kept per binding.
 */
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = DrizzleD1Database<typeof schema> & { $client: D1Database };

const handles = new WeakMap<D1Database, Db>();

export function db(d1: D1Database): Db {
  let handle = handles.get(d1);
  if (!handle) handles.set(d1, (handle = drizzle(d1, { schema })));
  return handle;
}
