/**
 * `POST /ingest?path=<path>`: accept any JSON payload from outside. Webhook senders cannot send
 * a bearer key, so a path whose mapping has a secret is authenticated by its HMAC signature
 * instead (a bad or missing signature is 401 and stores nothing); every other path needs the
 * API key like the rest of the API.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { findMapping } from "../../db/events";
import { ingestPayload, signatureHeader, signatureValid } from "../../events/ingest";
import type { AppEnv } from "../app-env";
import { bearerAuth } from "../auth";
import { limitBody } from "../body-limit";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { jsonBody } from "../read-json";
import { mappingBody } from "./mapping-document";

const pathParam = mappingBody.shape.path;

const ingestAccepted = z.object({ event_id: z.string(), raw_event_id: z.string(), type: z.string(), duplicate: z.boolean() });

const ingestDoc = describeRoute({
  summary: "Accept a webhook payload",
  description:
    "Any JSON. A path whose mapping has a secret is authenticated by the HMAC-SHA256 signature of the body in the mapping's signature header (GitHub's `x-hub-signature-256` by default) instead of a key; every other path needs the API key.",
  auth: "optional",
  query: z.object({ path: pathParam }),
  body: z.json(),
  responses: {
    200: { description: "A redelivery of an event already stored", schema: ingestAccepted },
    202: { description: "Stored and queued for the event triggers", schema: ingestAccepted },
  },
  errors: [422],
});

async function ingestRoute(c: Context<AppEnv>): Promise<Response> {
  const path = pathParam.safeParse(c.req.query("path") ?? "");
  if (!path.success) throw new ApiError(400, "invalid_request", `Invalid ingest path: ${path.error.issues[0]?.message}`, { path: "path" });
  const mapping = await findMapping(db(c.env.DB), path.data);
  const body = new Uint8Array(await c.req.arrayBuffer());
  if (mapping?.sealed_secret) {
    if (!(await signatureValid(c.env, mapping, body, c.req.raw.headers))) {
      throw new ApiError(401, "invalid_signature", `The ${signatureHeader(mapping)} header is missing or is not the HMAC-SHA256 of the body under this path's secret.`);
    }
  } else {
    // Throws on a missing or bad key; on a good one there is nothing further to call.
    await bearerAuth(c, async () => {});
  }
  const payload = jsonBody(new TextDecoder().decode(body), "ingest");
  const result = await ingestPayload(c.env, path.data, mapping, payload, c.req.raw.headers);
  if (!result.ok) {
    throw new ApiError(422, "mapping_failed", `The payload was stored as raw event ${result.raw_event_id} but could not be mapped: ${result.message}.`, { path: result.field });
  }
  const { ok: _ok, ...accepted } = result;
  return c.json(accepted, result.duplicate ? 200 : 202);
}

export const ingestApi = new Hono<AppEnv>().use("*", limitBody).post("/", ingestDoc, ingestRoute);
