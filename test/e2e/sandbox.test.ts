import { describe, expect, it } from "vitest";
import { api } from "./client";

describe("run_js", () => {
  it("runs a trivial program", async () => {
    const chain = { id: "js-probe", tasks: [{ id: "js", handler: "run_js" }] };
    const res = await api().post("/runs?wait=true", { chain, input: { code: "1 + 2" } });
    expect(res.body.output.result).toBe(3);
  });
});
