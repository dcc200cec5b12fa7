/**
 * `POST /tools`: register a service, or refresh one registered under the same name. The
 * service is asked what it offers first (its OpenAPI document, or the MCP server's tool list);
 * only when that succeeds is anything stored, in one write, so a failure (400 with the reason)
 * leaves the registry as it was. Credentials left out of a refresh are kept while the URL
 * stays the same, and dropped when it changes (they were given for the old address).
 */
import type { Context } from "hono";
import { db } from "../../db/client";
import { SecretsKeyMissing } from "../../db/secrets";
import { findToolService, saveToolService } from "../../db/tools";
import { NO_CREDENTIALS, openCredentials, sealCredentials, type Credentials } from "../../tools/credentials";
import { discoverService, type Registration } from "../../tools/discover";
import { DEFAULT_TOOL_TIMEOUT_MS, ToolServiceError, type ServiceConfig, type StoredService } from "../../tools/service";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { createdOrReplaced, describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { serviceView, serviceViewSchema, toolServiceBody, type ToolServiceDocument } from "./document";

export const registerToolDoc = describeRoute({
  summary: "Register or refresh a tool service (OpenAPI or MCP)",
  description: "The service is asked what it offers first; only when that succeeds is anything stored.",
  body: toolServiceBody,
  responses: createdOrReplaced("The service", serviceViewSchema),
});

export async function registerToolRoute(c: Context<AppEnv>): Promise<Response> {
  const doc = await readJson(c, toolServiceBody, "tool service");
  const d = db(c.env.DB);
  const previous = await findToolService(d, doc.name);
  const credentials = await credentialsFor(c, doc, previous);
  const timeout_ms = doc.timeout_ms ?? DEFAULT_TOOL_TIMEOUT_MS;
  const config = await discover({ name: doc.name, type: doc.type, url: doc.url, spec_url: doc.spec_url, credentials, timeout_ms, requires_approval: doc.requires_approval ?? false });
  const now = Date.now();
  const service: StoredService = {
    name: doc.name,
    type: doc.type,
    url: doc.url,
    spec_url: doc.spec_url ?? null,
    timeout_ms,
    config,
    sealed_credentials: await seal(c, credentials),
    created_at: previous?.created_at ?? now,
    updated_at: now,
  };
  await saveToolService(d, service);
  return c.json(serviceView(service), previous ? 200 : 201);
}

async function discover(registration: Registration): Promise<ServiceConfig> {
  try {
    return await discoverService(registration);
  } catch (err) {
    if (err instanceof ToolServiceError) throw new ApiError(400, "invalid_tool_service", err.message, { path: registration.spec_url ? "spec_url" : "url" });
    throw err;
  }
}

async function credentialsFor(c: Context<AppEnv>, doc: ToolServiceDocument, previous: StoredService | undefined): Promise<Credentials> {
  if (doc.headers !== undefined || doc.inject !== undefined) {
    return { headers: doc.headers ?? {}, inject: { ...NO_CREDENTIALS.inject, ...doc.inject } };
  }
  if (!previous || previous.url !== doc.url) return NO_CREDENTIALS;
  return guarded(() => openCredentials(c.env.SECRETS_KEY, previous.sealed_credentials));
}

async function seal(c: Context<AppEnv>, credentials: Credentials): Promise<string | null> {
  return guarded(() => sealCredentials(c.env.SECRETS_KEY, credentials));
}

async function guarded<T>(use: () => Promise<T>): Promise<T> {
  try {
    return await use();
  } catch (err) {
    if (err instanceof SecretsKeyMissing) throw new ApiError(500, "secrets_key_missing", err.message, { path: "headers" });
    throw err;
  }
}
