/**
 * Provider registry queries. The `models` column holds the model list as JSON; `api_key` holds
 * the key sealed (db/secrets.ts), and nothing here ever opens it.
 */
import { asc, eq } from "drizzle-orm";
import type { ModelInfo, ProviderType } from "../llm/provider";
import type { ProviderStore, StoredProvider } from "../llm/provider-registry";
import type { Db } from "./client";
import { providers } from "./schema";

function toStored(row: typeof providers.$inferSelect): StoredProvider {
  return {
    name: row.name,
    base_url: row.base_url,
    type: row.type as ProviderType | null,
    allowed_fails: row.allowed_fails,
    cooldown_s: row.cooldown_s,
    sealed_key: row.api_key,
    models: JSON.parse(row.models) as ModelInfo[],
    default_model: row.default_model,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function toRow(p: StoredProvider): typeof providers.$inferInsert {
  return {
    name: p.name,
    base_url: p.base_url,
    type: p.type,
    allowed_fails: p.allowed_fails,
    cooldown_s: p.cooldown_s,
    api_key: p.sealed_key,
    models: JSON.stringify(p.models),
    default_model: p.default_model,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

export async function listProviders(d: Db): Promise<StoredProvider[]> {
  return (await d.select().from(providers).orderBy(asc(providers.name)).all()).map(toStored);
}

export async function findProvider(d: Db, name: string): Promise<StoredProvider | undefined> {
  const row = await d.select().from(providers).where(eq(providers.name, name)).get();
  return row ? toStored(row) : undefined;
}

/** Inserts a new provider; false when one with that name exists. */
export async function insertProvider(d: Db, provider: StoredProvider): Promise<boolean> {
  const inserted = await d.insert(providers).values(toRow(provider)).onConflictDoNothing().returning({ name: providers.name });
  return inserted.length > 0;
}

/** Inserts or replaces a provider, keeping its original `created_at`. */
export async function saveProvider(d: Db, provider: StoredProvider): Promise<void> {
  const row = toRow(provider);
  const { base_url, type, allowed_fails, cooldown_s, api_key, models, default_model, updated_at } = row;
  await d
    .insert(providers)
    .values(row)
    .onConflictDoUpdate({ target: providers.name, set: { base_url, type, allowed_fails, cooldown_s, api_key, models, default_model, updated_at } });
}

export async function deleteProvider(d: Db, name: string): Promise<boolean> {
  const deleted = await d.delete(providers).where(eq(providers.name, name)).returning({ name: providers.name });
  return deleted.length > 0;
}

export function d1ProviderStore(d: Db): ProviderStore {
  return { list: () => listProviders(d), find: (name) => findProvider(d, name) };
}
