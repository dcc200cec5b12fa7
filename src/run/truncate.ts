/**
 * Bounds what a step record stores. A value over the limit is replaced by a marker that
 * says so and keeps a preview — never silently dropped.
 */
export interface TruncatedValue {
  truncated: true;
  original_bytes: number;
  preview: string;
}

export function truncateForLog(value: unknown, maxBytes: number): unknown {
  if (value === undefined) return null;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const bytes = new TextEncoder().encode(text).length;
  if (bytes <= maxBytes) return value;
  return { truncated: true, original_bytes: bytes, preview: text.slice(0, Math.max(0, Math.floor(maxBytes / 4))) } satisfies TruncatedValue;
}
