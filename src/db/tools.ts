/**
 * Tool service registry queries. `config` holds the discovered tools as JSON; `secrets` holds
 * the credentials sealed (db/secrets.ts), and nothing here ever opens them.
 */
import { asc, eq } from "drizzle-orm";
import { DEFAULT_TOOL_TIMEOUT_MS, type ServiceConfig, type ServiceType, type StoredService } from "../tools/service";
import type { Db } from "./client";
import { toolServices } from "./schema";

function toStored(row: typeof toolServices.$inferSelect): StoredService {
  return {
    name: row.name,
    type: row.type as ServiceType,
    url: row.url,
    spec_url: row.spec_url,
    timeout_ms: row.timeout_ms ?? DEFAULT_TOOL_TIMEOUT_MS,
    config: JSON.parse(row.config) as ServiceConfig,
    sealed_credentials: row.secrets,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function listToolServices(d: Db): Promise<StoredService[]> {
  return (await d.select().from(toolServices).orderBy(asc(toolServices.name)).all()).map(toStored);
}

export async function findToolService(d: Db, name: string): Promise<StoredService | undefined> {
  const row = await d.select().from(toolServices).where(eq(toolServices.name, name)).get();
  return row ? toStored(row) : undefined;
}

/** Inserts or replaces a service in one statement, keeping its original `created_at`. */
export async function saveToolService(d: Db, service: StoredService): Promise<void> {
  const row = {
    name: service.name,
    type: service.type,
    url: service.url,
    spec_url: service.spec_url,
    config: JSON.stringify(service.config),
    secrets: service.sealed_credentials,
    timeout_ms: service.timeout_ms,
    created_at: service.created_at,
    updated_at: service.updated_at,
  };
  const { created_at: _, name: __, ...changes } = row;
  await d.insert(toolServices).values(row).onConflictDoUpdate({ target: toolServices.name, set: changes });
}

export async function deleteToolService(d: Db, name: string): Promise<boolean> {
  const deleted = await d.delete(toolServices).where(eq(toolServices.name, name)).returning({ name: toolServices.name });
  return deleted.length > 0;
}
