import { describe, expect, it } from "vitest";
import { noop } from "../../../src/engine/handlers/noop";
import { contextFor } from "../fakes";

describe("noop", () => {
  it("passes its input on unchanged", async () => {
    const input = { city: "Oslo", days: 3 };
    const result = await noop(contextFor({ id: "pass", handler: "noop" }, { input }));
    expect(result.output).toBe(input);
  });

  it("evaluates to the input as text so branches can test it", async () => {
    expect((await noop(contextFor({ id: "pass", handler: "noop" }, { input: "approved" }))).eval).toBe("approved");
    expect((await noop(contextFor({ id: "pass", handler: "noop" }, { input: 42 }))).eval).toBe("42");
    const chat = { kind: "chat", messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "approved" }] };
    expect((await noop(contextFor({ id: "pass", handler: "noop" }, { input: chat }))).eval).toBe("approved");
  });

  it("evaluates structured data to ok, not to its whole serialisation", async () => {
    const envelope = { ok: true, result: { answer: "sunny" }, logs: [], calls: [], code: "return 1", duration_ms: 3 };
    expect((await noop(contextFor({ id: "pass", handler: "noop" }, { input: envelope }))).eval).toBe("ok");
    expect((await noop(contextFor({ id: "pass", handler: "noop" }, { input: [1, 2] }))).eval).toBe("ok");
  });
});
