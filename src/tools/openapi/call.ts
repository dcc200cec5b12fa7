/**
 * Sends an operation's request and turns the response into the tool's result: the JSON body
 * (or the text) on success, `{ error, status, body }` on an HTTP error, `{ error }` when the
 * service cannot be reached or does not answer in time. Never throws.
 */
import { readCapped } from "../../egress/read-capped";
import type { HttpRequestParts } from "./request";

/** Bodies beyond this are not read: no tool result can usefully be larger. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface HttpCallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  fetcher?: typeof fetch;
}

export async function sendHttpRequest(request: HttpRequestParts, options: HttpCallOptions): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await (options.fetcher ?? fetch)(request.url, { method: request.method, headers: request.headers, body: request.body, signal, redirect: "follow" });
  } catch (err) {
    if (timeout.aborted) return { error: `the service did not answer within ${options.timeoutMs} ms` };
    if (options.signal?.aborted) throw options.signal.reason;
    return { error: `the service could not be reached: ${err instanceof Error ? err.message : String(err)}` };
  }
  const { bytes, truncated } = await readCapped(response, MAX_RESPONSE_BYTES);
  if (truncated) return { error: `the response was larger than ${MAX_RESPONSE_BYTES} bytes` };
  const body = parseBody(new TextDecoder().decode(bytes), response.headers.get("content-type"));
  if (response.ok) return body;
  return { error: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}: ${errorMessage(body)}`, status: response.status, body };
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === "") return null;
  const json = contentType === null || /json/i.test(contentType);
  if (!json) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The most telling message in an error body: `error.message`, `message`, `error`, or the text. */
function errorMessage(body: unknown): string {
  if (typeof body === "string") return body.slice(0, 500) || "(no body)";
  if (typeof body === "object" && body !== null) {
    const record = body as { error?: unknown; message?: unknown; detail?: unknown };
    const nested = typeof record.error === "object" && record.error !== null ? (record.error as { message?: unknown }).message : undefined;
    for (const candidate of [nested, record.message, record.error, record.detail]) if (typeof candidate === "string") return candidate;
  }
  return JSON.stringify(body)?.slice(0, 500) ?? "(no body)";
}
