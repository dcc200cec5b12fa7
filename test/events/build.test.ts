import { describe, expect, it } from "vitest";
import { buildEvent, MAX_EVENT_HOPS } from "../../src/events/build";

describe("buildEvent", () => {
  it("makes a domain event with hops 0 and null data by default", () => {
    const built = buildEvent({ type: "order.placed" }, 1234);
    expect(built).toEqual({
      ok: true,
      event: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: "order.placed",
        source: null,
        aggregate_id: null,
        aggregate_type: null,
        version: 1,
        data: null,
        metadata: { hops: 0 },
        created_at: 1234,
      },
    });
  });

  it("keeps a caller's id, metadata and aggregate", () => {
    const built = buildEvent({ type: "t", id: "evt-1", data: { a: 1 }, aggregate_id: "42", aggregate_type: "order", source: "shop", metadata: { hops: 3, trace: "x" } }, 0);
    expect(built.ok && built.event).toMatchObject({ id: "evt-1", data: { a: 1 }, aggregate_id: "42", aggregate_type: "order", source: "shop", metadata: { hops: 3, trace: "x" } });
  });

  it(`accepts ${MAX_EVENT_HOPS} hops and refuses one more, explaining the loop`, () => {
    expect(buildEvent({ type: "ping", metadata: { hops: MAX_EVENT_HOPS } }, 0).ok).toBe(true);
    const refused = buildEvent({ type: "ping", metadata: { hops: MAX_EVENT_HOPS + 1 } }, 0);
    expect(refused).toMatchObject({ ok: false, field: "metadata.hops", error: expect.stringContaining("hop limit") });
  });

  it.each([
    [{ type: "" }, "type"],
    [{ type: "   " }, "type"],
    [{ type: "x".repeat(201) }, "type"],
    [{ type: "t", metadata: { hops: -1 } }, "metadata.hops"],
    [{ type: "t", metadata: { hops: 1.5 } }, "metadata.hops"],
  ])("refuses %j at %s", (input, field) => {
    expect(buildEvent(input, 0)).toMatchObject({ ok: false, field });
  });
});
