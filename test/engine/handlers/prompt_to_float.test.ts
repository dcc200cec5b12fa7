import { describe, expect, it } from "vitest";
import { prompt_to_float } from "../../../src/engine/handlers/prompt_to_float";
import type { Task } from "../../../src/engine/chain";
import { FakeLLM, contextFor, rejectionOf, say } from "../fakes";

const task: Task = { id: "score", handler: "prompt_to_float" };

async function answer(text: string) {
  return prompt_to_float(contextFor(task, { input: "Score it", effects: { llm: new FakeLLM([say(text)]) } }));
}

describe("prompt_to_float", () => {
  it("parses decimals, integers and exponents", async () => {
    expect(await answer("0.75")).toMatchObject({ output: 0.75, eval: "0.75" });
    expect(await answer("Score: 8")).toMatchObject({ output: 8, eval: "8" });
    expect(await answer("1.5e3")).toMatchObject({ output: 1500, eval: "1500" });
  });

  it("rejects an answer without exactly one number as a retryable parse error", async () => {
    for (const text of ["high", "7 or 8"]) {
      const error = await rejectionOf(answer(text));
      expect(error.type).toBe("parse_error");
      expect(error.message).toContain("expected a number");
      expect(error.options.retryable).toBe(true);
    }
  });
});
