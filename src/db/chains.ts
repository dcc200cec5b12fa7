/**
 * Chain registry queries. Every write keeps `chain_versions` in step with `chains` in one
 * `db.batch` (D1 has no BEGIN), so a version a run recorded can always be read back.
 */
import { and, asc, desc, eq, max } from "drizzle-orm";
import type { Chain } from "../engine/chain";
import type { Db } from "./client";
import { chains, chainVersions } from "./schema";

export interface StoredChain {
  chain: Chain;
  version: number;
  created_at: number;
  updated_at: number;
}

function toStored(row: typeof chains.$inferSelect): StoredChain {
  return { chain: JSON.parse(row.definition) as Chain, version: row.version, created_at: row.created_at, updated_at: row.updated_at };
}

export async function findChain(d: Db, id: string): Promise<StoredChain | undefined> {
  const row = await d.select().from(chains).where(eq(chains.id, id)).get();
  return row ? toStored(row) : undefined;
}

export async function findChainVersion(d: Db, id: string, version: number): Promise<Chain | undefined> {
  const row = await d
    .select()
    .from(chainVersions)
    .where(and(eq(chainVersions.chain_id, id), eq(chainVersions.version, version)))
    .get();
  return row ? (JSON.parse(row.definition) as Chain) : undefined;
}

export interface ChainVersion {
  version: number;
  created_at: number;
  chain: Chain;
}

/** Every stored version of a chain, newest first (kept after a delete, like the numbering). */
export async function listChainVersions(d: Db, id: string): Promise<ChainVersion[]> {
  const rows = await d.select().from(chainVersions).where(eq(chainVersions.chain_id, id)).orderBy(desc(chainVersions.version)).all();
  return rows.map((row) => ({ version: row.version, created_at: row.created_at, chain: JSON.parse(row.definition) as Chain }));
}

export async function listChains(d: Db): Promise<StoredChain[]> {
  const rows = await d.select().from(chains).orderBy(asc(chains.id)).all();
  return rows.map(toStored);
}

/**
 * Stores the next version (numbering continues after a delete, so an old run's version still
 * names the definition it ran); returns what was stored.
 */
export async function saveChain(d: Db, chain: Chain, now: number): Promise<StoredChain> {
  const [existing, last] = await Promise.all([
    d.select({ created_at: chains.created_at }).from(chains).where(eq(chains.id, chain.id)).get(),
    d.select({ version: max(chainVersions.version) }).from(chainVersions).where(eq(chainVersions.chain_id, chain.id)).get(),
  ]);
  const version = (last?.version ?? 0) + 1;
  const created_at = existing?.created_at ?? now;
  const definition = JSON.stringify(chain);
  await d.batch([
    d.insert(chainVersions).values({ chain_id: chain.id, version, definition, created_at: now }),
    d
      .insert(chains)
      .values({ id: chain.id, definition, version, created_at, updated_at: now })
      .onConflictDoUpdate({ target: chains.id, set: { definition, version, updated_at: now } }),
  ]);
  return { chain, version, created_at, updated_at: now };
}

export async function deleteChain(d: Db, id: string): Promise<boolean> {
  const deleted = await d.delete(chains).where(eq(chains.id, id)).returning({ id: chains.id });
  return deleted.length > 0;
}
