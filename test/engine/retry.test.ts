import { describe, expect, it } from "vitest";
import { decideRetry } from "../../src/engine/retry";
import type { RetryPolicy, Task } from "../../src/engine/chain";

const transient = { retryable: true, type: "provider_unavailable" };
const permanent = { retryable: false, type: "bad_request" };

const withPolicy = (policy: Partial<RetryPolicy>): Task => ({
  id: "chat",
  handler: "chat_completion",
  execute_config: {
    model: "big-model",
    retry_policy: { max_attempts: 4, initial_backoff: "1s", max_backoff: "30s", jitter: 0, ...policy },
  },
});

// random = 0.5 puts the jitter factor at exactly 1.
const MIDDLE = 0.5;

describe("decideRetry", () => {
  it("never retries an error that is not marked retryable", () => {
    const task = withPolicy({});
    expect(decideRetry(task, 1, permanent, MIDDLE).retry).toBe(false);
    expect(decideRetry(task, 1, { type: "timeout" }, MIDDLE).retry).toBe(false);
    expect(decideRetry({ ...task, retry_on_failure: 3 }, 1, permanent, MIDDLE).retry).toBe(false);
  });

  it("doubles the backoff with each attempt up to max_backoff", () => {
    const task = withPolicy({ max_attempts: 10, initial_backoff: "500ms", max_backoff: "3s" });
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => decideRetry(task, attempt, transient, MIDDLE).delay_ms);
    expect(delays).toEqual([500, 1000, 2000, 3000, 3000, 3000]);
  });

  it("makes at most max_attempts attempts in total", () => {
    const task = withPolicy({ max_attempts: 3 });
    expect(decideRetry(task, 1, transient, MIDDLE)).toMatchObject({ retry: true, attempt: 2 });
    expect(decideRetry(task, 2, transient, MIDDLE)).toMatchObject({ retry: true, attempt: 3 });
    expect(decideRetry(task, 3, transient, MIDDLE).retry).toBe(false);
  });

  it("scales the delay by a jitter factor picked by random", () => {
    const task = withPolicy({ initial_backoff: "1s", jitter: 0.2 });
    expect(decideRetry(task, 1, transient, 0).delay_ms).toBe(800);
    expect(decideRetry(task, 1, transient, 0.25).delay_ms).toBe(900);
    expect(decideRetry(task, 1, transient, MIDDLE).delay_ms).toBe(1000);
    expect(decideRetry(task, 1, transient, 0.999).delay_ms).toBe(1200);
  });

  it("gives the same delay for the same random number", () => {
    const task = withPolicy({ initial_backoff: "750ms", jitter: 0.35 });
    expect(decideRetry(task, 2, transient, 0.1234)).toEqual(decideRetry(task, 2, transient, 0.1234));
    expect(decideRetry(task, 2, transient, 0.1234).delay_ms).toBe(Math.round(1500 * (0.65 + 0.7 * 0.1234)));
  });

  it("switches to the fallback model once the attempt number exceeds fallback_after", () => {
    const task = withPolicy({ max_attempts: 4, fallback_model_id: "small-model", fallback_after: 2 });
    expect(decideRetry(task, 1, transient, MIDDLE).model).toBeUndefined();
    expect(decideRetry(task, 2, transient, MIDDLE)).toMatchObject({ attempt: 3, model: "small-model" });
    expect(decideRetry(task, 3, transient, MIDDLE)).toMatchObject({ attempt: 4, model: "small-model" });
  });

  it("falls back only for the last attempt when fallback_after is not set", () => {
    const task = withPolicy({ max_attempts: 3, fallback_model_id: "small-model" });
    expect(decideRetry(task, 1, transient, MIDDLE).model).toBeUndefined();
    expect(decideRetry(task, 2, transient, MIDDLE)).toMatchObject({ retry: true, attempt: 3, model: "small-model" });
  });

  it("never names a model without a fallback_model_id", () => {
    const task = withPolicy({ max_attempts: 3, fallback_after: 1 });
    expect(decideRetry(task, 2, transient, MIDDLE)).toEqual({ retry: true, delay_ms: 2000, attempt: 3 });
  });

  it("retries straight away retry_on_failure more times when there is no policy", () => {
    const task: Task = { id: "fetch", handler: "hook", retry_on_failure: 2 };
    expect(decideRetry(task, 1, transient, 0.9)).toEqual({ retry: true, delay_ms: 0, attempt: 2 });
    expect(decideRetry(task, 2, transient, 0.9)).toEqual({ retry: true, delay_ms: 0, attempt: 3 });
    expect(decideRetry(task, 3, transient, 0.9).retry).toBe(false);
  });

  it("prefers retry_policy over retry_on_failure", () => {
    const task = { ...withPolicy({ max_attempts: 2 }), retry_on_failure: 5 };
    expect(decideRetry(task, 2, transient, MIDDLE).retry).toBe(false);
  });

  it("does not retry without a policy or retry_on_failure", () => {
    const task: Task = { id: "fetch", handler: "hook" };
    expect(decideRetry(task, 1, transient, MIDDLE)).toEqual({ retry: false, delay_ms: 0, attempt: 2 });
  });
});
