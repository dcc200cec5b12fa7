/**
 * `http_fetch`: an HTTP request through the same egress gate as sandboxed code (public hosts
 * only unless EGRESS_ALLOW names them; redirects re-checked; body capped). Its answer goes into a
 * prompt, so, like what sandboxed code sees, it is scrubbed of the runtime's secrets.
 */
import { httpFetch } from "../../egress/fetch";
import type { EgressPolicy } from "../../egress/policy";
import { DEFAULT_LIMITS } from "../../sandbox/limits";
import type { SecretScrubber } from "../credentials";
import type { ToolEntry } from "../types";

export function httpFetchTool(policy: EgressPolicy, scrubber: () => Promise<SecretScrubber>): ToolEntry {
  return {
    service: "http",
    spec: {
      name: "http_fetch",
      description: "Fetch a URL over HTTP(S). Returns { ok, status, statusText, url, headers, body, error? }.",
      parameters: {
        type: "object",
        properties: {
          url: { type: "string", description: "Absolute http(s) URL." },
          method: { type: "string", enum: ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] },
          headers: { type: "object", additionalProperties: { type: "string" } },
          body: { type: "string" },
        },
        required: ["url"],
        additionalProperties: false,
      },
    },
    async call(args) {
      const { url, ...init } = (args ?? {}) as { url?: unknown };
      const result = await httpFetch(url, init, {
        policy,
        timeoutMs: DEFAULT_LIMITS.wall_ms,
        maxResponseBytes: DEFAULT_LIMITS.max_response_bytes,
        maxRequestBytes: DEFAULT_LIMITS.max_arg_bytes,
      });
      return (await scrubber()).value(result);
    },
  };
}
