import { describe, expect, it } from "vitest";
import { print } from "../../../src/engine/handlers/print";
import { contextFor } from "../fakes";

describe("print", () => {
  it("renders its template from earlier outputs and passes the input through", async () => {
    const input = { total: 12 };
    const ctx = contextFor(
      { id: "show", handler: "print", print: "Total for {{.lookup.customer}}: {{.previous_output}}" },
      { input, state: { outputs: { lookup: { customer: "ACME" } }, previous_output: "12 EUR" } },
    );
    const result = await print(ctx);
    expect(result.eval).toBe("Total for ACME: 12 EUR");
    expect(result.output).toBe(input);
  });

  it("prints the input as text when it has no template", async () => {
    const result = await print(contextFor({ id: "show", handler: "print" }, { input: { ok: true } }));
    expect(result.eval).toBe('{"ok":true}');
    expect(result.output).toEqual({ ok: true });
  });
});
