/**
 * The event bridge's way in for outside payloads: a webhook body posted to `/ingest?path=` is
 * stored as a raw event, then the mapping registered for the path turns it into a domain event
 * (without a mapping, the path is the event type and the payload its data). A mapping that
 * names the source's delivery id makes a redelivery the same event, appended once.
 */
import { db } from "../db/client";
import { insertRawEvent, type StoredMapping } from "../db/events";
import { openSecret } from "../db/secrets";
import type { Env } from "../env";
import { appendEvent } from "./append";
import { DEFAULT_SIGNATURE_HEADER, verifySignature } from "./hmac";
import { idFromKey } from "./ids";
import { applyMapping, type MappedEvent } from "./mapping";

/** Never stored with the raw event: credentials of the caller. */
const UNSTORED_HEADERS = new Set(["authorization", "proxy-authorization", "cookie"]);

export type IngestResult =
  | { ok: true; event_id: string; raw_event_id: string; type: string; duplicate: boolean }
  | { ok: false; raw_event_id: string; field: string; message: string };

/** The header a mapping's signature is read from. */
export function signatureHeader(mapping: StoredMapping): string {
  return mapping.config.signature_header ?? DEFAULT_SIGNATURE_HEADER;
}

export async function signatureValid(env: Env, mapping: StoredMapping, body: Uint8Array<ArrayBuffer>, headers: Headers): Promise<boolean> {
  if (mapping.sealed_secret === null) return true;
  const secret = await openSecret(env.SECRETS_KEY, mapping.sealed_secret);
  return verifySignature(secret, body, headers.get(signatureHeader(mapping)));
}

export async function ingestPayload(env: Env, path: string, mapping: StoredMapping | undefined, payload: unknown, headers: Headers): Promise<IngestResult> {
  const rawEventId = crypto.randomUUID();
  await insertRawEvent(db(env.DB), {
    id: rawEventId,
    path,
    payload: JSON.stringify(payload),
    headers: Object.fromEntries([...headers].filter(([name]) => !UNSTORED_HEADERS.has(name))),
    received_at: Date.now(),
  });
  const mapped = mapping ? applyMapping(mapping.config, payload, headers) : { ok: true as const, event: unmapped(path, payload) };
  if (!mapped.ok) return { ok: false, raw_event_id: rawEventId, field: mapped.field, message: mapped.message };
  const { source_id, metadata, ...event } = mapped.event;
  const appended = await appendEvent(env, {
    ...event,
    id: source_id === undefined ? undefined : await idFromKey(`ingest:${path}:${source_id}`),
    metadata: { ...metadata, hops: 0, raw_event_id: rawEventId, ingest_path: path, ...(source_id === undefined ? {} : { source_event_id: source_id }) },
  });
  if (!appended.ok) return { ok: false, raw_event_id: rawEventId, field: appended.field, message: appended.error };
  return { ok: true, event_id: appended.id, raw_event_id: rawEventId, type: appended.event.type, duplicate: appended.duplicate };
}

function unmapped(path: string, payload: unknown): MappedEvent {
  return { type: path, source: path, aggregate_id: null, aggregate_type: null, data: payload, metadata: {} };
}
