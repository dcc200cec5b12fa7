/**
 * One OpenAPI operation call as an HTTP request: the model's arguments go to their path,
 * query, header and body places as the binding says, and the credentials are added last, so
 * an argument can never replace one. The idempotency key goes out as `Idempotency-Key`.
 */
import type { Credentials } from "../credentials";
import { isJsonObject } from "../json";
import type { HttpBinding } from "../service";

export interface HttpRequestParts {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** A call the arguments cannot make (a path parameter missing, say); the message is for the model. */
export class RequestShapeError extends Error {}

export function buildHttpRequest(baseUrl: string, binding: HttpBinding, args: unknown, credentials: Credentials, idempotencyKey: string): HttpRequestParts {
  const values: Record<string, unknown> = isJsonObject(args) ? args : {};
  const bound = new Set(binding.params.map((p) => p.arg));
  const headers: Record<string, string> = { accept: "application/json, */*;q=0.5", "idempotency-key": idempotencyKey };
  const query = new URLSearchParams();

  let path = binding.path;
  for (const param of binding.params) {
    const value = values[param.arg];
    if (param.in === "path") {
      if (value === undefined || value === null) throw new RequestShapeError(`missing the path parameter "${param.arg}"`);
      path = path.replaceAll(`{${param.name}}`, encodeURIComponent(scalar(value)));
    } else if (value !== undefined && value !== null) {
      if (param.in === "query") appendQuery(query, param.name, value);
      else headers[param.name.toLowerCase()] = scalar(value);
    }
  }
  for (const [name, value] of Object.entries(credentials.inject.path)) path = path.replaceAll(`{${name}}`, encodeURIComponent(value));
  for (const [name, value] of Object.entries(credentials.inject.query)) query.set(name, value);

  let body: string | undefined;
  const spec = binding.body;
  if (spec) {
    const payload = spec.mode === "merged" ? Object.fromEntries(Object.entries(values).filter(([key]) => !bound.has(key))) : values[spec.arg ?? "body"];
    const withSecrets = Object.keys(credentials.inject.body).length > 0 && (payload === undefined || isJsonObject(payload)) ? { ...(payload as object | undefined), ...credentials.inject.body } : payload;
    if (withSecrets !== undefined) {
      body = encodeBody(withSecrets, spec.encoding);
      headers["content-type"] = spec.content_type;
    }
  }
  for (const [name, value] of Object.entries(credentials.headers)) headers[name.toLowerCase()] = value;

  const search = query.toString();
  return { url: `${baseUrl}${path.startsWith("/") ? path : `/${path}`}${search ? `?${search}` : ""}`, method: binding.method, headers, ...(body === undefined ? {} : { body }) };
}

function appendQuery(query: URLSearchParams, name: string, value: unknown): void {
  // OpenAPI's default for query arrays is form style, exploded: one pair per item.
  if (Array.isArray(value)) for (const item of value) query.append(name, scalar(item));
  else query.append(name, scalar(value));
}

function encodeBody(payload: unknown, encoding: "json" | "form" | "raw"): string {
  if (encoding === "raw") return typeof payload === "string" ? payload : JSON.stringify(payload);
  if (encoding === "form" && isJsonObject(payload)) {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(payload)) if (value !== undefined && value !== null) appendQuery(form, key, value);
    return form.toString();
  }
  return JSON.stringify(payload);
}

function scalar(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}
