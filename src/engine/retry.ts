/**
 * Whether a failed task runs again, after how long, and with which model. Pure: the caller
 * passes the random number that jitters the backoff, so a run's decisions can be replayed.
 *
 * With `execute_config.retry_policy`, a task makes at most `max_attempts` attempts; attempt n+1
 * waits `min(max_backoff, initial_backoff * 2^(n-1))`, scaled by a factor drawn uniformly from
 * [1 - jitter, 1 + jitter], and switches to `fallback_model_id` once its number exceeds
 * `fallback_after` (by default only the last attempt falls back). Without a policy,
 * `retry_on_failure: N` allows N more attempts straight away. Only errors marked retryable
 * (rate limits, 5xx, timeouts) are retried: repeating a bad request only repeats its failure.
 */

import { parseDuration } from "./duration";
import type { Task } from "./chain";

export interface RetryDecision {
  retry: boolean;
  delay_ms: number;
  /** The attempt the decision is about: the one after the attempt that failed. */
  attempt: number;
  /** Model for that attempt, when the policy falls back to another one. */
  model?: string;
}

/**
 * @param attempt the 1-based attempt that just failed
 * @param random a number in [0, 1) that picks the jitter
 */
export function decideRetry(
  task: Task,
  attempt: number,
  error: { retryable?: boolean; type?: string },
  random: number,
): RetryDecision {
  const next = attempt + 1;
  const stop: RetryDecision = { retry: false, delay_ms: 0, attempt: next };
  if (error.retryable !== true) return stop;

  const policy = task.execute_config?.retry_policy;
  if (!policy) return next <= 1 + (task.retry_on_failure ?? 0) ? { retry: true, delay_ms: 0, attempt: next } : stop;

  const maxAttempts = Math.max(1, policy.max_attempts);
  if (next > maxAttempts) return stop;

  const backoff = Math.min(parseDuration(policy.max_backoff), parseDuration(policy.initial_backoff) * 2 ** (attempt - 1));
  const jitter = Math.min(1, Math.max(0, policy.jitter || 0));
  const delay_ms = Math.round(backoff * (1 - jitter + 2 * jitter * random));

  const fallbackAfter = policy.fallback_after ?? maxAttempts - 1;
  const fallback = policy.fallback_model_id && next > fallbackAfter ? policy.fallback_model_id : undefined;
  return fallback ? { retry: true, delay_ms, attempt: next, model: fallback } : { retry: true, delay_ms, attempt: next };
}
