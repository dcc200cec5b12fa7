import { describe, expect, it } from "vitest";
import { applyOutcome, HEALTHY, HealthBook, isCooling, type Outcome } from "../../src/llm/health";

const fail = (at: number, cooldown_ms = 30_000): Outcome => ({ provider: "p", at, ok: false, error: "provider_error: 503", allowed_fails: 3, cooldown_ms });
const ok = (at: number, ttft_ms: number): Outcome => ({ provider: "p", at, ok: true, ttft_ms });

describe("backend health", () => {
  it("cools a backend down after allowed_fails failures in a row, for its cooldown", () => {
    const twice = applyOutcome(applyOutcome(HEALTHY, fail(1)), fail(2));
    expect(isCooling(twice, 3)).toBe(false);
    const thrice = applyOutcome(twice, fail(3));
    expect(thrice).toMatchObject({ failures: 3, cooling_until: 30_003, last_error: "provider_error: 503" });
    expect(isCooling(thrice, 30_002)).toBe(true);
    expect(isCooling(thrice, 30_003)).toBe(false);
  });

  it("treats the first call after a cooldown as a probe: one failure cools it again, one success clears it", () => {
    const cooled = [fail(1), fail(2), fail(3)].reduce(applyOutcome, HEALTHY);
    expect(applyOutcome(cooled, fail(40_000)).cooling_until).toBe(70_000);
    expect(applyOutcome(cooled, ok(40_000, 20))).toMatchObject({ failures: 0, cooling_until: null });
  });

  it("resets the count on a success between failures", () => {
    const interrupted = [fail(1), fail(2), ok(3, 10), fail(4), fail(5)].reduce(applyOutcome, HEALTHY);
    expect(interrupted.failures).toBe(2);
    expect(isCooling(interrupted, 6)).toBe(false);
  });

  it("keeps a moving average of time to first token", () => {
    const health = [ok(1, 100), ok(2, 200)].reduce(applyOutcome, HEALTHY);
    expect(health).toMatchObject({ latency_ms: 130, latency_at: 2 });
  });

  it("sums calls in flight over the isolates that report, forgetting one gone quiet", () => {
    const book = new HealthBook();
    book.apply({ isolate: "one", in_flight: { p: 2 }, outcomes: [fail(1)] }, 0);
    book.apply({ isolate: "two", in_flight: { p: 1, q: 4 }, outcomes: [] }, 50_000);
    expect(book.snapshot(50_000).backends).toMatchObject({ p: { in_flight: 3, failures: 1 }, q: { in_flight: 4 } });
    expect(book.snapshot(70_000).backends).toMatchObject({ p: { in_flight: 1 }, q: { in_flight: 4 } });
  });
});
