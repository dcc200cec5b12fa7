/**
 * Fetching and reading an OpenAPI document: JSON or YAML, version 3.0 or 3.1. Every failure is
 * a `ToolServiceError` whose message says what was wrong and where, for the registering user.
 */
import { parse as parseYaml } from "yaml";
import { ToolServiceError } from "../service";

export type OpenApiDocument = { [key: string]: unknown };

export type OpenApiVersion = "3.0" | "3.1";

/** Real specs run to a few hundred KiB; anything far beyond that is not a spec. */
const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

export function specUrlFor(serviceUrl: string, specUrl: string | undefined): string {
  return specUrl ?? `${serviceUrl.replace(/\/+$/, "")}/openapi.json`;
}

export async function fetchDocument(url: string, init: { headers: Record<string, string>; timeoutMs: number; fetcher?: typeof fetch }): Promise<OpenApiDocument> {
  const fetcher = init.fetcher ?? fetch;
  let response: Response;
  try {
    response = await fetcher(url, { headers: { accept: "application/json, application/yaml;q=0.9, */*;q=0.5", ...init.headers }, signal: AbortSignal.timeout(init.timeoutMs) });
  } catch (err) {
    throw new ToolServiceError(`Could not fetch the OpenAPI document at ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ToolServiceError(`Could not fetch the OpenAPI document at ${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
  }
  const text = await response.text();
  if (text.length > MAX_DOCUMENT_BYTES) throw new ToolServiceError(`The OpenAPI document at ${url} is larger than ${MAX_DOCUMENT_BYTES} bytes.`);
  return parseDocument(text, url);
}

/** Parses JSON, else YAML (a superset), and checks that it is an OpenAPI 3.0 or 3.1 document. */
export function parseDocument(text: string, source: string): OpenApiDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    try {
      value = parseYaml(text, { maxAliasCount: 100 });
    } catch (err) {
      throw new ToolServiceError(`The document at ${source} is neither JSON nor YAML: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ToolServiceError(`The document at ${source} is not an OpenAPI document (expected an object at the top level).`);
  }
  const doc = value as OpenApiDocument;
  if (typeof doc.swagger === "string") {
    throw new ToolServiceError(`The document at ${source} is Swagger ${doc.swagger}; only OpenAPI 3.0 and 3.1 are supported (convert it, e.g. with swagger2openapi).`);
  }
  versionOf(doc, source);
  if (typeof doc.paths !== "object" || doc.paths === null) throw new ToolServiceError(`The OpenAPI document at ${source} has no "paths".`);
  return doc;
}

export function versionOf(doc: OpenApiDocument, source = "the document"): OpenApiVersion {
  const version = doc.openapi;
  if (typeof version === "string" && /^3\.0(\.|$)/.test(version)) return "3.0";
  if (typeof version === "string" && /^3\.1(\.|$)/.test(version)) return "3.1";
  throw new ToolServiceError(`${source} is not an OpenAPI 3.0 or 3.1 document (openapi: ${JSON.stringify(version ?? null)}).`);
}

/**
 * Where operations are called: the first server, resolved against the document's own URL as
 * the specification says for relative server URLs, with its variables at their defaults; the
 * service URL when the document names no server.
 */
export function baseUrlOf(doc: OpenApiDocument, documentUrl: string, serviceUrl: string): string {
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const first = servers[0] as { url?: unknown; variables?: Record<string, { default?: unknown }> } | undefined;
  if (!first || typeof first.url !== "string" || first.url === "") return serviceUrl.replace(/\/+$/, "");
  const expanded = first.url.replace(/\{([^}]+)\}/g, (_, name: string) => String(first.variables?.[name]?.default ?? ""));
  try {
    return new URL(expanded, documentUrl).toString().replace(/\/+$/, "");
  } catch {
    throw new ToolServiceError(`The OpenAPI document's server URL ${JSON.stringify(first.url)} is not a valid URL.`);
  }
}
