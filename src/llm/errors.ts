/**
 * Maps provider failures onto engine errors: 429, 5xx, timeouts and dropped connections are
 * transient (retryable); auth, bad requests and unknown models are not.
 *
 * A provider's `Retry-After` is written into the message as `(retry-after: VALUE)`: the message
 * is the one part of an error that a run records, and the HTTP edge reads it back with
 * `retryAfterIn` to pass a 429 on with the provider's own delay.
 */
import { APIConnectionError, APIError, APIUserAbortError } from "openai";
import { EngineError } from "../engine/errors";

export function providerError(err: unknown, provider: string, baseUrl?: string): EngineError {
  if (err instanceof EngineError) return err;
  if (err instanceof APIUserAbortError) return cancelled();
  if (err instanceof APIConnectionError) {
    const where = baseUrl ? ` at ${baseUrl}` : "";
    return new EngineError("provider_unreachable", `Provider "${provider}" could not be reached${where}: ${sentence(err.message)}`, { retryable: true, status: 502 });
  }
  if (err instanceof APIError) return statusError(provider, err.status ?? 502, err.message, err.headers?.get?.("retry-after") ?? undefined);
  if (err instanceof Error && err.name === "AbortError") return cancelled();
  return new EngineError("provider_error", `Provider "${provider}" failed: ${err instanceof Error ? err.message : String(err)}`, { retryable: true });
}

/** A provider's failure by its HTTP status: 408, 409, 429 and 5xx are worth retrying. */
export function statusError(provider: string, status: number, message: string, retryAfter?: string): EngineError {
  const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
  const type = status === 429 ? "rate_limited" : status === 401 || status === 403 ? "provider_auth" : status >= 500 ? "provider_error" : "provider_rejected";
  const hint = retryAfter ? ` (retry-after: ${retryAfter})` : "";
  const error = new EngineError(type, `Provider "${provider}" answered ${status}${hint}: ${message}`, { retryable, status });
  if (retryAfter) Object.assign(error, { retryAfter });
  return error;
}

/** `text` ending in exactly one full stop (the SDK's own messages end in one already). */
function sentence(text: string): string {
  return `${text.replace(/[.\s]+$/, "")}.`;
}

export function cancelled(): EngineError {
  return new EngineError("cancelled", "The LLM call was cancelled.", { retryable: false });
}

const RETRY_AFTER = /\(retry-after: ([^)]+)\)/;

/** The provider's `Retry-After` value recorded in an error message by `providerError`. */
export function retryAfterIn(message: string): string | undefined {
  return RETRY_AFTER.exec(message)?.[1];
}

/** How long a provider's `Retry-After` (seconds, or an HTTP date) asks to wait, from `now`; undefined when it sent none. */
export function retryAfterMs(error: unknown, now: number): number | undefined {
  const value = error instanceof Error && "retryAfter" in error && typeof error.retryAfter === "string" ? error.retryAfter : undefined;
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() !== "" && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
