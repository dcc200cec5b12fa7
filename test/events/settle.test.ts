import { describe, expect, it } from "vitest";
import { retryDelaySeconds, settleEach, type Settleable } from "../../src/events/settle";

class FakeMessage implements Settleable {
  outcome: "ack" | { retryAfter: number | undefined } | undefined;
  constructor(
    readonly id: string,
    readonly attempts = 1,
  ) {}
  ack() {
    this.outcome = "ack";
  }
  retry(options?: { delaySeconds?: number }) {
    this.outcome = { retryAfter: options?.delaySeconds };
  }
}

describe("settleEach", () => {
  it("acks the messages that succeed and retries only the one that fails, with its error", async () => {
    const messages = ["a", "b", "c", "d"].map((id) => ({ message: new FakeMessage(id) }));
    const failures: Array<[string, string]> = [];
    await settleEach(
      messages,
      async ({ message }) => {
        if (message.id === "c") throw new Error("chain gone");
      },
      async ({ message }, error) => {
        failures.push([message.id, error]);
      },
    );
    expect(messages.map((m) => m.message.outcome)).toEqual(["ack", "ack", { retryAfter: 1 }, "ack"]);
    expect(failures).toEqual([["c", "chain gone"]]);
  });

  it("backs off by attempt count", async () => {
    const messages = [1, 2, 3, 4].map((attempts) => ({ message: new FakeMessage(`m${attempts}`, attempts) }));
    await settleEach(messages, async () => Promise.reject(new Error("down")), async () => {});
    expect(messages.map((m) => m.message.outcome)).toEqual([{ retryAfter: 1 }, { retryAfter: 2 }, { retryAfter: 4 }, { retryAfter: 8 }]);
  });

  it("still retries when recording the failure itself fails", async () => {
    const item = { message: new FakeMessage("x") };
    await expect(
      settleEach(
        [item],
        async () => Promise.reject(new Error("down")),
        async () => Promise.reject(new Error("D1 unavailable")),
      ),
    ).rejects.toThrow("D1 unavailable");
    expect(item.message.outcome).toEqual({ retryAfter: 1 });
  });
});

describe("retryDelaySeconds", () => {
  it("doubles from one second and is capped at five minutes", () => {
    expect([0, 1, 2, 3, 5, 9, 10, 50].map(retryDelaySeconds)).toEqual([1, 1, 2, 4, 16, 256, 300, 300]);
  });
});
