/**
 * How a run that did not succeed answers over HTTP. A provider's rate limit stays a 429 with
 * the provider's `Retry-After`; a provider that failed after the chain's retries is a 502 (504
 * for a timeout); a request the provider refused, or one too long for every model's context, is
 * a 400; a model or provider the deployment cannot supply (unknown provider or group, no key,
 * no capable model) is a 424; anything else the chain did is a 500. Every message points at the
 * run so its steps can be inspected.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { retryAfterIn } from "../../llm/errors";
import type { RunView } from "../../engine/records";
import { ApiError } from "../errors";

const STATUS_BY_TYPE: Record<string, ContentfulStatusCode> = {
  rate_limited: 429,
  provider_error: 502,
  provider_unreachable: 502,
  provider_auth: 502,
  timeout: 504,
  wall_time: 504,
  provider_rejected: 400,
  context_length_exceeded: 400,
  cancelled: 409,
  unknown_provider: 424,
  unknown_group: 424,
  no_backend: 424,
  no_capable_model: 424,
  missing_model: 424,
  provider_key_missing: 424,
  provider_key_unreadable: 424,
  workers_ai_unbound: 424,
};

export function runFailure(run: RunView): ApiError {
  const error = run.error ?? { type: "run_failed", message: `The run ended with status ${run.status}.` };
  const where = error.task_id ? ` in task "${error.task_id}"` : "";
  return failureAnswer(error.type, `${error.message} (run ${run.id} failed${where}; GET /runs/${run.id}/steps shows every step)`);
}

/** An engine error of `type` as an HTTP answer, a rate limit with the provider's `Retry-After`. */
export function failureAnswer(type: string, message: string): ApiError {
  const status = STATUS_BY_TYPE[type] ?? 500;
  const retryAfter = status === 429 ? retryAfterIn(message) : undefined;
  return new ApiError(status, type, message, { headers: retryAfter ? { "retry-after": retryAfter } : undefined });
}
