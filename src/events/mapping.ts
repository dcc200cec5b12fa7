/**
 * Applies a mapping to an ingested payload: reads the event type, id, aggregate id and metadata
 * from dotted field paths (or `header:<name>`) and returns the parts of the domain event. Pure:
 * the caller adds the id when the payload has none, the time and the hop count.
 */
import type { MappingConfig } from "./types";

export interface MappedEvent {
  /** The source's own delivery id, when the mapping names one and the payload has it. */
  source_id?: string;
  type: string;
  source: string;
  aggregate_id: string | null;
  aggregate_type: string | null;
  data: unknown;
  metadata: Record<string, unknown>;
}

export type MappingResult = { ok: true; event: MappedEvent } | { ok: false; field: string; message: string };

const HEADER_PREFIX = "header:";

export function applyMapping(config: MappingConfig, payload: unknown, headers: Headers): MappingResult {
  const read = (path: string) => readField(payload, headers, path);
  let type = config.event_type;
  if (config.event_type_field !== undefined) {
    type = scalarText(read(config.event_type_field));
    if (type === undefined || type === "") {
      return {
        ok: false,
        field: "event_type_field",
        message: `the mapping for "${config.path}" reads the event type from "${config.event_type_field}", which the payload does not have as a string or number`,
      };
    }
  }
  if (type === undefined) {
    return { ok: false, field: "event_type", message: `the mapping for "${config.path}" has neither event_type nor event_type_field` };
  }
  const metadata: Record<string, unknown> = {};
  for (const [key, path] of Object.entries(config.metadata_mapping ?? {})) {
    const value = read(path);
    if (value !== undefined) metadata[key] = value;
  }
  const sourceId = config.event_id_field === undefined ? undefined : scalarText(read(config.event_id_field));
  return {
    ok: true,
    event: {
      ...(sourceId ? { source_id: sourceId } : {}),
      type,
      source: config.event_source ?? config.path,
      aggregate_id: config.aggregate_id_field === undefined ? null : (scalarText(read(config.aggregate_id_field)) ?? null),
      aggregate_type: config.aggregate_type ?? null,
      data: payload,
      metadata,
    },
  };
}

/**
 * The value at a field path: `header:<name>` reads a request header; otherwise a dotted path
 * (`a.b.0.c`, or `a.b[0].c`) into the payload, numeric segments indexing arrays.
 */
export function readField(payload: unknown, headers: Headers, path: string): unknown {
  if (path.startsWith(HEADER_PREFIX)) return headers.get(path.slice(HEADER_PREFIX.length).trim()) ?? undefined;
  let current: unknown = payload;
  for (const segment of fieldSegments(path)) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else if (current !== null && typeof current === "object" && Object.hasOwn(current, segment)) current = (current as Record<string, unknown>)[segment];
    else return undefined;
  }
  return current;
}

export function fieldSegments(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter((segment) => segment !== "");
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}
