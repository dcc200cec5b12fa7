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
    expect((await noop(contextFor({ id: "pass", handler: "noop" }, { input: { a: 1 } }))).eval).toBe('{"a":1}');
  });
});
