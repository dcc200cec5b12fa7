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
  const parsed = JSON.parse(await openSecret(secretsKey, sealed)) as Partial<Credentials>;
  return { headers: parsed.headers ?? {}, inject: { ...NO_CREDENTIALS.inject, ...parsed.inject } };
}

/**
 * The value with every credential (as is, and URL-encoded, as it appears in URLs) replaced by
 * `[redacted]`, wherever it occurs in strings or keys.
 */
export function redactSecrets<T>(value: T, secrets: string[]): T {
  const needles = [...new Set(secrets.filter((s) => s.length >= MIN_REDACTED_LENGTH).flatMap((s) => [s, encodeURIComponent(s)]))].sort(
    (a, b) => b.length - a.length,
  );
  if (needles.length === 0) return value;
  const scrub = (text: string) => needles.reduce((out, needle) => out.split(needle).join(REDACTED), text);
  return deepMapStrings(value, scrub) as T;
}

function deepMapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((item) => deepMapStrings(item, map));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [map(key), deepMapStrings(item, map)]));
  }
  return value;
}
