/**
 * How a run that did not succeed answers over HTTP. A provider's rate limit stays a 429 with
 * the provider's `Retry-After`; a provider that failed after the chain's retries is a 502 (504
 * for a timeout); a request the provider refused is a 400; anything else the chain did is a
 * 500. Every message points at the run so its steps can be inspected.
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
  cancelled: 409,
};

export function runFailure(run: RunView): ApiError {
  const error = run.error ?? { type: "run_failed", message: `The run ended with status ${run.status}.` };
  const status = STATUS_BY_TYPE[error.type] ?? 500;
  const retryAfter = status === 429 ? retryAfterIn(error.message) : undefined;
  const where = error.task_id ? ` in task "${error.task_id}"` : "";
  return new ApiError(status, error.type, `${error.message} (run ${run.id} failed${where}; GET /runs/${run.id}/steps shows every step)`, {
    headers: retryAfter ? { "retry-after": retryAfter } : undefined,
  });
}
