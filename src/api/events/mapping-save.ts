/**
 * `POST /mappings`: create or replace the mapping for an ingest path. `secret` turns on HMAC
 * signature checks for that path; it is sealed before it is stored and never returned. Omit
 * it to keep the current one, send `null` to remove it.
 */
import type { Context } from "hono";
import { db } from "../../db/client";
import { findMapping, saveMapping } from "../../db/events";
import { SecretsKeyMissing, sealSecret } from "../../db/secrets";
import type { MappingConfig } from "../../events/types";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { createdOrReplaced, describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { mappingBody } from "./mapping-document";
import { mappingView, mappingViewSchema } from "./view";

export const saveMappingDoc = describeRoute({
  summary: "Create or replace the mapping of an ingest path",
  body: mappingBody,
  responses: createdOrReplaced("The mapping", mappingViewSchema),
});

export async function saveMappingRoute(c: Context<AppEnv>): Promise<Response> {
  const { secret, ...config } = await readJson(c, mappingBody, "mapping");
  const d = db(c.env.DB);
  const existing = await findMapping(d, config.path);
  const sealed = secret === undefined ? (existing?.sealed_secret ?? null) : secret === null ? null : await seal(c, secret);
  const stored = await saveMapping(d, config satisfies MappingConfig, sealed, Date.now());
  return c.json(mappingView(stored), existing ? 200 : 201);
}

async function seal(c: Context<AppEnv>, secret: string): Promise<string> {
  try {
    return await sealSecret(c.env.SECRETS_KEY, secret);
  } catch (err) {
    if (err instanceof SecretsKeyMissing) throw new ApiError(500, "secrets_key_missing", err.message, { path: "secret" });
    throw err;
  }
}
