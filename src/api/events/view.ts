/** JSON shapes of the event bridge's mappings in API responses: the secret is never shown. */
import type { StoredMapping } from "../../db/events";
import type { MappingConfig } from "../../events/types";

export interface MappingView extends MappingConfig {
  /** Whether payloads must carry a valid HMAC signature (the secret itself is write-only). */
  has_secret: boolean;
  created_at: number;
  updated_at: number;
}

export function mappingView(stored: StoredMapping): MappingView {
  return { ...stored.config, has_secret: stored.sealed_secret !== null, created_at: stored.created_at, updated_at: stored.updated_at };
}
