/**
 * `POST /providers`: register a provider (409 when the name is taken). Without `models`, the
 * backend is asked for its models; when it cannot answer, the provider is registered without
 * any and the answer's `sync` says why (`POST /providers/:name/sync` asks again).
 */
import type { Context } from "hono";
import { db } from "../../db/client";
import { insertProvider } from "../../db/providers";
import { providerTypeOf } from "../../llm/provider-type";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { createProviderBody, providerViewSchema, registryOf, requireApiOwned, storedProvider } from "./document";
import { discover, syncOutcomeSchema, type SyncReport } from "./sync";

export const createProviderDoc = describeRoute({
  summary: "Register a provider",
  description: "Without `models` the backend is asked for them; `sync` then says whether it answered (a provider it could not ask is registered without models).",
  body: createProviderBody,
  responses: { 201: { description: "The provider, key left out", schema: providerViewSchema.extend({ sync: syncOutcomeSchema.optional() }) } },
  errors: [409],
});

export async function createProviderRoute(c: Context<AppEnv>): Promise<Response> {
  const doc = await readJson(c, createProviderBody, "provider");
  const registry = registryOf(c);
  requireApiOwned(registry, doc.name);
  let sync: SyncReport | undefined;
  let models = doc.models;
  if (models === undefined) {
    sync = await discover(c, { name: doc.name, type: providerTypeOf(doc.type, doc.base_url), baseUrl: doc.base_url, apiKey: doc.api_key ?? undefined });
    models = sync.ok ? sync.models : [];
  }
  const stored = await storedProvider(c, doc.name, { ...doc, models }, undefined);
  if (!(await insertProvider(db(c.env.DB), stored))) {
    throw new ApiError(409, "conflict", `A provider named "${doc.name}" is already registered; use PUT /providers/${doc.name} to change it.`, { path: "name" });
  }
  return c.json({ ...(await registry.find(doc.name)), ...(sync ? { sync: sync.ok ? { ok: true } : sync } : {}) }, 201);
}
