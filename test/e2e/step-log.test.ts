import { describe, expect, it } from "vitest";
import { api } from "./client";

const next = (goto: string) => ({ branches: [{ operator: "default", when: "", goto }] });

describe("the step log", () => {
  it("records as a step's input exactly what its handler received, input_var included", async () => {
    const chain = {
      id: "input-vars",
      tasks: [
        { id: "first", handler: "noop", transition: next("from_var") },
        { id: "from_var", handler: "noop", input_var: "greeting", transition: next("from_input") },
        { id: "from_input", handler: "noop", input_var: "input", transition: next("end") },
      ],
    };
    const res = await api().post("/runs?wait=true", { chain, input: "run input", vars: { greeting: "hello from a var" } });
    expect(res.body.status).toBe("succeeded");
    const steps: Array<{ task_id: string; input: unknown; output: unknown }> = (await api().get(`/runs/${res.body.id}/steps`)).body.data;
    // noop hands its input on unchanged, so its output is what it received.
    expect(steps.map((s) => [s.task_id, s.input, s.output])).toEqual([
      ["first", "run input", "run input"],
      ["from_var", "hello from a var", "hello from a var"],
      ["from_input", "run input", "run input"],
    ]);
  });
});
