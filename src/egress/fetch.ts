/**
 * Host-side HTTP egress, for sandboxed code and the `http_fetch` tool: every hop is checked
 * against the egress policy (redirects are followed by hand, at most five, so a public URL cannot
 * bounce the request to a private one), the whole exchange shares one timeout, and response
 * bodies are cut off at a size cap. Two faces: `httpFetch` (the sandbox global's result shape, failures as values) and
 * `gateFetch` (the isolate's plain `fetch()` through its `globalOutbound`, failures as 4xx/5xx
 * responses with a JSON `{ error }` body).
 */
import type { HttpFetchInit, HttpFetchResult } from "../engine/sandbox-globals";
import { checkUrl, shortUrl } from "./policy";
import type { EgressPolicy } from "./policy";
import { readCapped } from "./read-capped";

export interface EgressOptions {
  policy: EgressPolicy;
  /** For the whole exchange: every hop and reading the body. */
  timeoutMs: number;
  maxResponseBytes: number;
  /** Largest request body `gateFetch` forwards. */
  maxRequestBytes: number;
  /** Applied to what `gateFetch` hands back (headers and body), so no secret of the runtime reaches the caller. */
  scrub?: ResponseScrub;
}

export interface ResponseScrub {
  text(text: string): string;
  bytes(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>;
}


const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
/** Credentials a cross-origin redirect must not carry on (as browsers do). */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];
/** Headers describing the body as received, which no longer hold once it is decoded or cut. */
const BODY_HEADERS = ["content-encoding", "content-length", "transfer-encoding"];

interface Outgoing {
  method: string;
  headers: Headers;
  body: string | ArrayBuffer | null;
}

/** `httpFetch`'s result when the request was refused or failed, without its `error`. */
export const HTTP_FETCH_FAILURE: Omit<HttpFetchResult, "error"> = { ok: false, status: 0, statusText: "", url: "", headers: {}, body: "" };

type Exchange =
  | { ok: true; url: string; response: Response; bytes: Uint8Array<ArrayBuffer>; truncated: boolean }
  | { ok: false; url: string; status: 403 | 502 | 504; error: string };

export async function httpFetch(url: unknown, init: unknown, options: EgressOptions): Promise<HttpFetchResult> {
  const failure = (error: string, at = String(url)): HttpFetchResult => ({ ...HTTP_FETCH_FAILURE, url: at, error });
  if (typeof url !== "string") return failure("httpFetch(url, init?): url must be a string");
  const outgoing = outgoingFromInit(init);
  if (typeof outgoing === "string") return failure(outgoing);
  const exchange = await exchangeWithPolicy(url, outgoing, options);
  if (!exchange.ok) return failure(exchange.error, exchange.url);
  const { response, bytes, truncated } = exchange;
  let body = new TextDecoder().decode(bytes);
  if (truncated) body += `\n[… truncated: the response exceeded ${options.maxResponseBytes} bytes]`;
  return {
    ok: response.ok,
    status: response.status,
    statusText: response.statusText,
    url: exchange.url,
    headers: Object.fromEntries(response.headers),
    body,
    ...(truncated ? { truncated: true } : {}),
  };
}

export async function gateFetch(request: Request, options: EgressOptions): Promise<Response> {
  const deny = (status: number, error: string) =>
    Response.json({ error }, { status, headers: { "x-switchyard-egress": "refused" } });
  let body: ArrayBuffer | null = null;
  if (request.body) {
    body = await request.arrayBuffer();
    if (body.byteLength > options.maxRequestBytes) {
      return deny(413, `request body of ${body.byteLength} bytes exceeds limits.max_arg_bytes (${options.maxRequestBytes})`);
    }
  }
  const exchange = await exchangeWithPolicy(
    request.url,
    { method: request.method, headers: new Headers(request.headers), body },
    options,
  );
  if (!exchange.ok) return deny(exchange.status, exchange.error);
  const { response, truncated } = exchange;
  const scrub = options.scrub;
  const headers = new Headers();
  for (const [name, value] of response.headers) if (!BODY_HEADERS.includes(name)) headers.append(name, scrub ? scrub.text(value) : value);
  if (truncated) headers.set("x-switchyard-truncated", String(options.maxResponseBytes));
  const bytes = scrub ? scrub.bytes(exchange.bytes) : exchange.bytes;
  return new Response(NULL_BODY_STATUSES.has(response.status) ? null : bytes, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** The httpFetch `init` as a request, or a message saying what is wrong with it. */
function outgoingFromInit(init: unknown): Outgoing | string {
  if (init === undefined || init === null) return { method: "GET", headers: new Headers(), body: null };
  if (typeof init !== "object") return "httpFetch(url, init?): init must be an object";
  const { method = "GET", headers, body } = init as HttpFetchInit;
  if (typeof method !== "string") return "httpFetch: init.method must be a string";
  let outgoing: Outgoing;
  try {
    outgoing = { method: method.toUpperCase(), headers: new Headers(headers), body: null };
  } catch (error) {
    return `httpFetch: init.headers are invalid: ${messageOf(error)}`;
  }
  if (body === undefined || body === null) return outgoing;
  if (outgoing.method === "GET" || outgoing.method === "HEAD") return `httpFetch: a ${outgoing.method} request cannot have a body`;
  if (typeof body === "string") return { ...outgoing, body };
  if (!outgoing.headers.has("content-type")) outgoing.headers.set("content-type", "application/json");
  return { ...outgoing, body: JSON.stringify(body) };
}

async function exchangeWithPolicy(url: string, outgoing: Outgoing, options: EgressOptions): Promise<Exchange> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let current = url;
  let { method, body } = outgoing;
  const headers = new Headers(outgoing.headers);
  try {
    for (let hop = 0; ; hop++) {
      const check = checkUrl(current, options.policy);
      if (!check.ok) {
        const where = hop === 0 ? "" : ` (redirect ${hop} from ${shortUrl(url)})`;
        return { ok: false, url: current, status: 403, error: `egress refused${where}: ${check.reason}` };
      }
      const response = await fetch(check.url, { method, headers, body, redirect: "manual", signal });
      const location = response.headers.get("location");
      if (!REDIRECT_STATUSES.has(response.status) || location === null) {
        return { ok: true, url: current, response, ...(await readCapped(response, options.maxResponseBytes)) };
      }
      await response.body?.cancel();
      if (hop === MAX_REDIRECTS) {
        return { ok: false, url: current, status: 502, error: `too many redirects (more than ${MAX_REDIRECTS}) from ${shortUrl(url)}` };
      }
      const next = new URL(location, check.url);
      if (response.status === 303 || (response.status !== 307 && response.status !== 308 && method === "POST")) {
        method = method === "HEAD" ? "HEAD" : "GET";
        body = null;
        headers.delete("content-type");
      }
      if (next.origin !== check.url.origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
      current = next.href;
    }
  } catch (error) {
    if (signal.aborted) {
      return { ok: false, url: current, status: 504, error: `request to ${shortUrl(current)} timed out after ${options.timeoutMs} ms` };
    }
    return { ok: false, url: current, status: 502, error: `request to ${shortUrl(current)} failed: ${messageOf(error)}` };
  }
}

function messageOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return error instanceof Error ? `${error.message}${cause}` : String(error);
}
