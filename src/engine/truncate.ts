/**
 * Bounds what a record stores (step inputs and outputs, the LLM calls a step made, its recorded
 * effects). A value over the limit is replaced by a marker that says so and keeps a preview —
 * never silently dropped. A marker is recognisable later, so a reader can tell a recorded value
 * from a cut one (replay refuses to serve a cut effect) and can still compare a fresh value
 * with what was recorded (`fitsMarker`).
 */
export interface TruncatedValue {
  truncated: true;
  original_bytes: number;
  preview: string;
}

/** A recorded value, or the marker that replaced it. */
export type Truncatable<T> = T | TruncatedValue;

const encoder = new TextEncoder();

export function truncateForLog(value: unknown, maxBytes: number): unknown {
  if (value === undefined) return null;
  const text = textOf(value);
  // A UTF-16 unit is at most 3 bytes of UTF-8, so short text fits without being encoded.
  if (text.length * 3 <= maxBytes) return value;
  const bytes = encoder.encode(text).length;
  if (bytes <= maxBytes) return value;
  return truncatedValue(text, bytes, Math.max(0, Math.floor(maxBytes / 4)));
}

/** The marker for `value` with a preview of `previewChars`, whatever its size. */
export function truncate(value: unknown, previewChars: number): TruncatedValue {
  const text = textOf(value);
  return truncatedValue(text, encoder.encode(text).length, previewChars);
}

export function isTruncated(value: unknown): value is TruncatedValue {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { truncated?: unknown }).truncated === true &&
    typeof (value as { original_bytes?: unknown }).original_bytes === "number" &&
    typeof (value as { preview?: unknown }).preview === "string"
  );
}

/**
 * Whether `value` could be what a marker replaced: the same size and the same beginning. Used
 * to compare a value computed again with one that was recorded only as a marker.
 */
export function fitsMarker(marker: TruncatedValue, value: unknown): boolean {
  if (value === undefined) return false;
  const text = textOf(value);
  return encoder.encode(text).length === marker.original_bytes && text.startsWith(marker.preview);
}

/** Size of a value as a record stores it (JSON; a string as its own text). */
export function recordedBytes(value: unknown): number {
  return value === undefined ? 0 : encoder.encode(textOf(value)).length;
}

function textOf(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "null");
}

function truncatedValue(text: string, bytes: number, previewChars: number): TruncatedValue {
  return { truncated: true, original_bytes: bytes, preview: text.slice(0, previewChars) };
}

/**
 * Whether a value computed again equals what a record holds, markers included: a marker
 * anywhere in the record matches a value it could have replaced (`fitsMarker`). Values are
 * compared as JSON would store them: key order aside, a key holding undefined left out, and
 * undefined as null.
 */
export function matchesRecorded(recorded: unknown, value: unknown): boolean {
  return same(recorded, value);
}

function same(recorded: unknown, value: unknown): boolean {
  if (recorded === value) return true;
  if (recorded === undefined || recorded === null) return value === undefined || value === null;
  if (typeof recorded !== "object") return false;
  if (isTruncated(recorded) && !isTruncated(value)) return fitsMarker(recorded, value);
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(recorded) !== Array.isArray(value)) return false;
  if (Array.isArray(recorded) && Array.isArray(value)) {
    if (recorded.length !== value.length) return false;
    for (let i = 0; i < recorded.length; i++) if (!same(recorded[i], value[i])) return false;
    return true;
  }
  const a = recorded as Record<string, unknown>;
  const b = value as Record<string, unknown>;
  // A key holding undefined is one JSON leaves out. Plain loops: replay compares whole
  // conversations at every step, so this is its hottest path.
  let keys = 0;
  for (const key in a) {
    if (a[key] === undefined) continue;
    keys += 1;
    if (!Object.hasOwn(b, key) || !same(a[key], b[key])) return false;
  }
  for (const key in b) if (b[key] !== undefined) keys -= 1;
  return keys === 0;
}
