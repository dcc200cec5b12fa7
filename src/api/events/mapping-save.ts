/**
 * `POST /mappings`: create or replace the mapping for an ingest path. `secret` turns on HMAC
 * signature checks for that path; it is sealed before it is stored and never returned. Omit
 * it to keep the current one, send `null` to remove it.
 */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { findMapping, saveMapping } from "../../db/events";
import { SecretsKeyMissing, sealSecret } from "../../db/secrets";
import type { MappingConfig } from "../../events/types";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { readJson } from "../read-json";
import { mappingView } from "./view";

const fieldPath = z.string().trim().min(1, "a field path must not be empty").max(300);
const label = z.string().trim().min(1).max(200);

export const mappingBody = z
  .object({
    path: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "path must be letters, digits, '.', '_', ':' or '-' (e.g. github.webhook)"),
    event_type: label.optional(),
    event_type_field: fieldPath.optional(),
    event_source: label.optional(),
    event_id_field: fieldPath.optional(),
    aggregate_id_field: fieldPath.optional(),
    aggregate_type: label.optional(),
    metadata_mapping: z.record(z.string().min(1), fieldPath).optional(),
    signature_header: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "signature_header must be a header name")
      .transform((h) => h.toLowerCase())
      .optional(),
    secret: z.string().min(1, "secret must not be empty (send null to remove it)").nullable().optional(),
  })
  .strict()
  .check((ctx) => {
    if ((ctx.value.event_type === undefined) === (ctx.value.event_type_field === undefined)) {
      ctx.issues.push({ code: "custom", input: ctx.value, path: ["event_type"], message: "give exactly one of event_type or event_type_field" });
    }
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
