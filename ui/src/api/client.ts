/**
 * The console's only way to the server: the public HTTP API with the session's bearer key.
 * Errors come back as `ApiError` with the API's `{type, message, path, problems}` (or the
 * OpenAI routes' `{message, type, param}`); a 401 ends the session, so the sign-in form shows.
 */
import type { Problem } from "../../../src/engine/errors";
import { apiKey, signOut } from "./session";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly path?: string,
    readonly problems?: Problem[],
  ) {
    super(message);
  }
}

export interface SendOptions {
  /** JSON, or text sent as it is (a JSONC chain). */
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** A fetch with the bearer key; the caller reads the body (a stream, for SSE). */
export async function send(method: string, path: string, { body, signal, headers: extra }: SendOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...extra, authorization: `Bearer ${apiKey() ?? ""}` };
  if (body !== undefined) headers["content-type"] = typeof body === "string" ? "text/plain" : "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body), signal });
  if (response.status === 401) signOut();
  if (!response.ok) throw await errorOf(response);
  return response;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const { error } = JSON.parse(text) as { error: { type?: string; message?: string; path?: string; param?: string; problems?: Problem[] } };
    return new ApiError(response.status, error.type ?? "error", error.message ?? text, error.path ?? error.param ?? undefined, error.problems);
  } catch {
    return new ApiError(response.status, "error", text || response.statusText);
  }
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await (await send(method, path, { body })).json()) as T;
}

export const api = {
  get: <T>(path: string) => json<T>("GET", path),
  post: <T>(path: string, body: unknown = {}) => json<T>("POST", path, body),
  put: <T>(path: string, body: unknown) => json<T>("PUT", path, body),
  patch: <T>(path: string, body: unknown) => json<T>("PATCH", path, body),
  delete: <T>(path: string) => json<T>("DELETE", path),
};

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
