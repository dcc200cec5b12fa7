import { describe, expect, it } from "vitest";
import { prompt_to_int } from "../../../src/engine/handlers/prompt_to_int";
import type { Task } from "../../../src/engine/chain";
import { FakeLLM, contextFor, rejectionOf, say } from "../fakes";

const task: Task = { id: "count", handler: "prompt_to_int" };

async function answer(text: string) {
  return prompt_to_int(contextFor(task, { input: "How many?", effects: { llm: new FakeLLM([say(text)]) } }));
}

describe("prompt_to_int", () => {
  it("parses a whole number, also inside a short sentence or with digit grouping", async () => {
    expect(await answer("42")).toMatchObject({ output: 42, eval: "42" });
    expect(await answer("There are -3 left.")).toMatchObject({ output: -3, eval: "-3" });
    expect(await answer("1,250")).toMatchObject({ output: 1250, eval: "1250" });
  });

  it("rejects fractions, several numbers and words as a retryable parse error naming the answer", async () => {
    for (const text of ["2.5", "between 3 and 4", "many"]) {
      const error = await rejectionOf(answer(text));
      expect(error.type).toBe("parse_error");
      expect(error.message).toBe(`task "count": model answered ${JSON.stringify(text)}, expected an integer`);
      expect(error.options.retryable).toBe(true);
    }
  });
});
