/**
 * Contract registry queries. Like chains, every write keeps `contract_versions` in step with
 * `contracts` in one batch, so the version a run recorded can always be read back.
 */
import { asc, eq, max } from "drizzle-orm";
import type { Contract } from "../contract/types";
import type { Db } from "./client";
import { contracts, contractVersions } from "./schema";

export interface StoredContract {
  contract: Contract;
  version: number;
  created_at: number;
  updated_at: number;
}

function toStored(row: typeof contracts.$inferSelect): StoredContract {
  return { contract: JSON.parse(row.definition) as Contract, version: row.version, created_at: row.created_at, updated_at: row.updated_at };
}

export async function findContract(d: Db, id: string): Promise<StoredContract | undefined> {
  const row = await d.select().from(contracts).where(eq(contracts.id, id)).get();
  return row ? toStored(row) : undefined;
}

export async function listContracts(d: Db): Promise<StoredContract[]> {
  return (await d.select().from(contracts).orderBy(asc(contracts.id)).all()).map(toStored);
}

/** Stores the next version (numbering continues after a delete); returns what was stored. */
export async function saveContract(d: Db, contract: Contract, now: number): Promise<StoredContract> {
  const [existing, last] = await Promise.all([
    d.select({ created_at: contracts.created_at }).from(contracts).where(eq(contracts.id, contract.id)).get(),
    d.select({ version: max(contractVersions.version) }).from(contractVersions).where(eq(contractVersions.contract_id, contract.id)).get(),
  ]);
  const version = (last?.version ?? 0) + 1;
  const created_at = existing?.created_at ?? now;
  const definition = JSON.stringify(contract);
  await d.batch([
    d.insert(contractVersions).values({ contract_id: contract.id, version, definition, created_at: now }),
    d.insert(contracts).values({ id: contract.id, definition, version, created_at, updated_at: now }).onConflictDoUpdate({ target: contracts.id, set: { definition, version, updated_at: now } }),
  ]);
  return { contract, version, created_at, updated_at: now };
}

export async function deleteContract(d: Db, id: string): Promise<boolean> {
  return (await d.delete(contracts).where(eq(contracts.id, id)).returning({ id: contracts.id })).length > 0;
}
