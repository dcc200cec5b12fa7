/**
 * The CLI's HTTP client of the public API: the bearer key on every request, JSON in and out, a
 * refusal turned into an `ApiFailure` with the server's message and path, and no answer at all
 * into `Unreachable` naming the URL it tried.
 */
import type { Problem } from "../src/engine/errors";
import { ApiFailure, Unreachable } from "./errors";

type Method = "GET" | "POST" | "PUT" | "DELETE";

export class Client {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    readonly key: string | undefined,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  async json<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const text = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    const response = await this.send(method, path, { body: text, signal });
    return (response.status === 204 ? null : await response.json()) as T;
  }

  /** The response of a request, once it succeeded (a stream's body is read by the caller). */
  async send(method: Method, path: string, init: { body?: string; signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.key) headers.authorization = `Bearer ${this.key}`;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: init.body, signal: init.signal });
    } catch (err) {
      if (init.signal?.aborted) throw err;
      throw new Unreachable(this.baseUrl, reasonOf(err));
    }
    if (!response.ok) throw await failureOf(response);
    return response;
  }
}

async function failureOf(response: Response): Promise<ApiFailure> {
  const text = await response.text();
  let error: { type?: unknown; message?: unknown; path?: unknown; param?: unknown; problems?: unknown } | undefined;
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error;
  } catch {
    error = undefined;
  }
  const message = typeof error?.message === "string" ? error.message : `HTTP ${response.status} ${response.statusText}${text ? `: ${text.slice(0, 200)}` : ""}`;
  const path = typeof error?.path === "string" ? error.path : typeof error?.param === "string" ? error.param : undefined;
  return new ApiFailure(response.status, typeof error?.type === "string" ? error.type : "http_error", message, path, Array.isArray(error?.problems) ? (error.problems as Problem[]) : []);
}

/** Node's fetch hides the reason (ECONNREFUSED, ENOTFOUND, …) in `cause`. */
export function reasonOf(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return err instanceof Error ? err.message : String(err);
}
