/**
 * `Idempotency-Key` on the requests that start a run (`POST /runs`, `/tasks`, `/execute`,
 * `/v1/chat/completions`): a repeat with the same key, from the same API key and within 24
 * hours, gets the run the first request started instead of a new one; the same key with another
 * request is a 422. A client that got a timeout or a 503 can therefore send the request again
 * safely. The key claims a run id before the run starts, and a run's object starts once per id,
 * so even two repeats racing each other meet at one run.
 */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../db/client";
import { claimIdempotencyKey } from "../db/idempotency";
import { toHex } from "../events/ids";
import type { AppEnv } from "./app-env";
import { ApiError } from "./errors";

export const IDEMPOTENCY_HEADER = "idempotency-key";
/** Set to "true" on the answer to a repeat: the run is the one the first request started. */
export const REPLAYED_HEADER = "idempotent-replayed";
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
const MAX_KEY_LENGTH = 255;

/** The header as the start routes describe it in /openapi.json. */
export const idempotencyHeaders = z.object({
  [IDEMPOTENCY_HEADER]: z
    .string()
    .min(1)
    .max(MAX_KEY_LENGTH)
    .optional()
    .meta({ description: "A repeat with the same key (same API key, within 24 h) gets the run the first request started; the same key with another request is a 422." }),
});

async function sha256(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

/**
 * The run id a start should use: a fresh one without an Idempotency-Key, else the one the key
 * claimed (the earlier run's, for a repeat — then the answer is marked replayed). `request` is
 * what makes two requests the same: the route and its parsed body.
 */
export async function runIdFor(c: Context<AppEnv>, request: unknown): Promise<string> {
  const key = c.req.header(IDEMPOTENCY_HEADER);
  if (key === undefined) return crypto.randomUUID();
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw new ApiError(400, "invalid_request", `The Idempotency-Key header must be 1-${MAX_KEY_LENGTH} printable ASCII characters without spaces.`, { path: "Idempotency-Key" });
  }
  const caller = c.req.header("authorization") ?? "";
  const now = Date.now();
  const claim = {
    id: await sha256(`${caller}\n${key}`),
    run_id: crypto.randomUUID(),
    fingerprint: await sha256(`${c.req.method} ${new URL(c.req.url).pathname}\n${JSON.stringify(request)}`),
    created_at: now,
  };
  const held = await claimIdempotencyKey(db(c.env.DB), claim, now - IDEMPOTENCY_TTL_MS);
  if (held.fingerprint !== claim.fingerprint) {
    throw new ApiError(422, "idempotency_key_reused", "This Idempotency-Key was already used with a different request; send the same request again, or use a new key for a new request.", {
      path: "Idempotency-Key",
    });
  }
  if (held.run_id !== claim.run_id) c.header(REPLAYED_HEADER, "true");
  return held.run_id;
}
