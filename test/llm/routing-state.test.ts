import { describe, expect, it } from "vitest";
import { HealthBook, type HealthReport, type Outcome } from "../../src/llm/health";
import { RoutingState, type HealthRemote } from "../../src/llm/routing-state";

/** The routing object's logic behind a counting remote; `down` makes it fail like an unreachable object. */
function routingObject(clock: { now: number }) {
  const book = new HealthBook();
  const reports: HealthReport[] = [];
  const remote: HealthRemote & { down: boolean } = {
    down: false,
    async report(report: HealthReport) {
      if (remote.down) throw new Error("object unavailable");
      reports.push(structuredClone(report));
      book.apply(report, clock.now);
      return book.snapshot(clock.now);
    },
  };
  return { remote, reports, book };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const fail = (at: number): Outcome => ({ provider: "p", at, ok: false, error: "provider_error: 503", allowed_fails: 1, cooldown_ms: 10_000 });
const ok = (at: number): Outcome => ({ provider: "p", at, ok: true, ttft_ms: 5 });

describe("RoutingState", () => {
  it("waits for the shared state once, then serves calls from its copy", async () => {
    const clock = { now: 0 };
    const { remote, reports } = routingObject(clock);
    const state = new RoutingState({ now: () => clock.now });
    await state.ready(() => remote);
    await state.ready(() => remote);
    expect(reports).toHaveLength(1);
  });

  it("applies its own outcomes at once and batches successes while calls are in flight, until flushMs", async () => {
    const clock = { now: 0 };
    const { remote, reports } = routingObject(clock);
    const state = new RoutingState({ now: () => clock.now, flushMs: 250, refreshMs: 10_000 });
    await state.ready(() => remote);
    for (let i = 0; i < 3; i++) state.begin("p");
    expect(state.health("p").in_flight).toBe(3);
    clock.now = 10;
    state.end("p", ok(10), () => remote);
    clock.now = 20;
    state.end("p", ok(20), () => remote);
    await settle();
    expect(state.health("p")).toMatchObject({ latency_ms: 5, in_flight: 1 });
    expect(reports).toHaveLength(1);
    clock.now = 300;
    state.sync(() => remote);
    await settle();
    expect(reports.at(-1)!.outcomes).toHaveLength(2);
  });

  it("reports what it holds as soon as no call is left in flight", async () => {
    const clock = { now: 0 };
    const { remote, reports } = routingObject(clock);
    const state = new RoutingState({ now: () => clock.now, flushMs: 250, refreshMs: 10_000 });
    await state.ready(() => remote);
    state.begin("p");
    clock.now = 10;
    state.end("p", ok(10), () => remote);
    await settle();
    expect(reports.at(-1)).toMatchObject({ in_flight: { p: 0 }, outcomes: [ok(10)] });
  });

  it("reports a failure at once, so other isolates stop sending calls to a backend that cools down", async () => {
    const clock = { now: 0 };
    const shared = routingObject(clock);
    const mine = new RoutingState({ now: () => clock.now });
    const theirs = new RoutingState({ now: () => clock.now, refreshMs: 100 });
    await mine.ready(() => shared.remote);
    await theirs.ready(() => shared.remote);
    mine.begin("p");
    mine.end("p", fail(1), () => shared.remote);
    await settle();
    expect(shared.book.snapshot(1).backends.p).toMatchObject({ failures: 1, cooling_until: 10_001 });
    clock.now = 150;
    theirs.sync(() => shared.remote);
    await settle();
    expect(theirs.health("p").cooling_until).toBe(10_001);
  });

  it("counts the calls in flight of every isolate", async () => {
    const clock = { now: 0 };
    const shared = routingObject(clock);
    const one = new RoutingState({ now: () => clock.now, refreshMs: 100 });
    const two = new RoutingState({ now: () => clock.now, refreshMs: 100 });
    await one.ready(() => shared.remote);
    one.begin("p");
    one.begin("p");
    clock.now = 200;
    one.sync(() => shared.remote);
    await settle();
    await two.ready(() => shared.remote);
    two.begin("p");
    expect(two.health("p").in_flight).toBe(3);
  });

  it("goes on with its own view when the routing object fails, and sends the outcomes later", async () => {
    const clock = { now: 0 };
    const shared = routingObject(clock);
    shared.remote.down = true;
    const state = new RoutingState({ now: () => clock.now, refreshMs: 100 });
    await state.ready(() => shared.remote);
    state.begin("p");
    state.end("p", fail(1), () => shared.remote);
    await settle();
    expect(state.health("p").cooling_until).toBe(10_001);
    shared.remote.down = false;
    clock.now = 200;
    state.sync(() => shared.remote);
    await settle();
    expect(shared.reports.at(-1)!.outcomes).toEqual([fail(1)]);
  });

  it("hands out round-robin turns per pool", () => {
    const state = new RoutingState();
    expect([state.nextTurn("a"), state.nextTurn("a"), state.nextTurn("b")]).toEqual([0, 1, 0]);
  });
});
