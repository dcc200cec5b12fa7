/**
 * JSON shapes of the event bridge in API responses — events, dead letters and mappings (whose
 * secret is never shown) — with their zod schemas for /openapi.json.
 */
import { z } from "zod";
import type { DeadLetter, StoredMapping } from "../../db/events";
import type { DomainEvent, MappingConfig } from "../../events/types";
import { mappingFields } from "./mapping-document";

export interface MappingView extends MappingConfig {
  /** Whether payloads must carry a valid HMAC signature (the secret itself is write-only). */
  has_secret: boolean;
  created_at: number;
  updated_at: number;
}

export const eventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    source: z.string().nullable(),
    aggregate_id: z.string().nullable(),
    aggregate_type: z.string().nullable(),
    version: z.number(),
    data: z.unknown(),
    metadata: z.looseObject({ hops: z.number().meta({ description: "sendEvent hops from an outside event" }) }),
    created_at: z.number(),
  })
  .meta({ id: "Event" }) satisfies z.ZodType<DomainEvent>;

export const deadLetterSchema = z
  .object({ id: z.string(), event_id: z.string().nullable(), payload: z.unknown(), error: z.string(), attempts: z.number(), created_at: z.number() })
  .meta({ id: "DeadLetter" }) satisfies z.ZodType<DeadLetter>;

export const mappingViewSchema = mappingFields
  .extend({ has_secret: z.boolean(), created_at: z.number(), updated_at: z.number() })
  .meta({ id: "Mapping" }) satisfies z.ZodType<MappingView>;

export function mappingView(stored: StoredMapping): MappingView {
  return { ...stored.config, has_secret: stored.sealed_secret !== null, created_at: stored.created_at, updated_at: stored.updated_at };
}
