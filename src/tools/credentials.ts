/**
 * Tool credentials: headers and injected values (query, path or body) a service needs. They
 * are sealed at rest, opened at the moment of a call and added to the request there, so no
 * prompt, sandbox, step record or API response ever holds them. As a second line, anything a
 * call returns is scrubbed of their values (a service may echo a credential back).
 */
import { openSecret, sealSecret } from "../db/secrets";

export type InjectTarget = "query" | "path" | "body";

export interface Credentials {
  headers: Record<string, string>;
  inject: Record<InjectTarget, Record<string, string>>;
}

/** What may be shown of credentials: their names. */
export interface CredentialNames {
  headers: string[];
  inject: Record<InjectTarget, string[]>;
}

export const NO_CREDENTIALS: Credentials = { headers: {}, inject: { query: {}, path: {}, body: {} } };

export const REDACTED = "[redacted]";

/** Values shorter than this are not scrubbed from results: they would mangle ordinary text. */
const MIN_REDACTED_LENGTH = 4;

export function credentialNames(credentials: Credentials): CredentialNames {
  const { headers, inject } = credentials;
  return {
    headers: Object.keys(headers),
    inject: { query: Object.keys(inject.query), path: Object.keys(inject.path), body: Object.keys(inject.body) },
  };
}

export function hasCredentials(credentials: Credentials): boolean {
  return secretValues(credentials).length > 0;
}

export function secretValues(credentials: Credentials): string[] {
  const { headers, inject } = credentials;
  return [...Object.values(headers), ...Object.values(inject.query), ...Object.values(inject.path), ...Object.values(inject.body)].filter((v) => v !== "");
}

export async function sealCredentials(secretsKey: string | undefined, credentials: Credentials): Promise<string | null> {
  return hasCredentials(credentials) ? sealSecret(secretsKey, JSON.stringify(credentials)) : null;
}

export async function openCredentials(secretsKey: string | undefined, sealed: string | null): Promise<Credentials> {
  if (sealed === null) return NO_CREDENTIALS;
  return credentialsFromJson(await openSecret(secretsKey, sealed));
}

/** Credentials as they are sealed: JSON, with empty parts possibly left out. */
export function credentialsFromJson(text: string): Credentials {
  const parsed = JSON.parse(text) as Partial<Credentials>;
  return { headers: parsed.headers ?? {}, inject: { ...NO_CREDENTIALS.inject, ...parsed.inject } };
}

/** Replaces every secret in what it is given: values, text and raw bytes. */
export interface SecretScrubber {
  value<T>(value: T): T;
  text(text: string): string;
  bytes(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>;
}

/**
 * A scrubber that replaces every secret (as is, and URL-encoded, as it appears in URLs) by
 * `[redacted]`, wherever it occurs in strings, keys or bytes; the longest first, so a secret
 * that contains another is replaced whole.
 */
export function secretScrubber(secrets: readonly string[], minLength = MIN_REDACTED_LENGTH): SecretScrubber {
  const needles = [...new Set(secrets.filter((s) => s.length >= minLength).flatMap((s) => [s, encodeURIComponent(s)]))].sort(
    (a, b) => b.length - a.length,
  );
  const text = (input: string) => needles.reduce((out, needle) => (out.includes(needle) ? out.split(needle).join(REDACTED) : out), input);
  const encoded = needles.map((needle) => encoder.encode(needle));
  return {
    text,
    value: (value) => (needles.length === 0 ? value : deepMapStrings(value, text)) as typeof value,
    bytes: (bytes) => encoded.reduce<Uint8Array<ArrayBuffer>>((out, needle) => replaceBytes(out, needle, REDACTED_BYTES), bytes),
  };
}

/** The value with every credential replaced by `[redacted]` (see `secretScrubber`). */
export function redactSecrets<T>(value: T, secrets: string[]): T {
  return secretScrubber(secrets).value(value);
}

const encoder = new TextEncoder();
const REDACTED_BYTES = encoder.encode(REDACTED);

function replaceBytes(bytes: Uint8Array<ArrayBuffer>, needle: Uint8Array, replacement: Uint8Array): Uint8Array<ArrayBuffer> {
  const at = indexOfBytes(bytes, needle, 0);
  if (at === -1) return bytes;
  const parts: Uint8Array[] = [];
  let from = 0;
  for (let i = at; i !== -1; i = indexOfBytes(bytes, needle, from)) {
    parts.push(bytes.subarray(from, i), replacement);
    from = i + needle.length;
  }
  parts.push(bytes.subarray(from));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function indexOfBytes(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  for (let i = bytes.indexOf(first!, from); i !== -1 && i <= bytes.length - needle.length; i = bytes.indexOf(first!, i + 1)) {
    let j = 1;
    while (j < needle.length && bytes[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

function deepMapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((item) => deepMapStrings(item, map));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [map(key), deepMapStrings(item, map)]));
  }
  return value;
}
