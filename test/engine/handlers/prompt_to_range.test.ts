import { describe, expect, it } from "vitest";
import { prompt_to_range } from "../../../src/engine/handlers/prompt_to_range";
import type { Task } from "../../../src/engine/chain";
import { FakeLLM, contextFor, rejectionOf, say } from "../fakes";

const task: Task = { id: "budget", handler: "prompt_to_range" };

async function answer(text: string) {
  return prompt_to_range(contextFor(task, { input: "Budget?", effects: { llm: new FakeLLM([say(text)]) } }));
}

describe("prompt_to_range", () => {
  it('normalises a range to "min-max"', async () => {
    expect(await answer("3-7")).toMatchObject({ output: "3-7", eval: "3-7" });
    expect(await answer('"10 to 20".')).toMatchObject({ output: "10-20" });
    expect(await answer("-5 - 2.5")).toMatchObject({ output: "-5-2.5" });
    expect(await answer("1 – 4")).toMatchObject({ output: "1-4" });
  });

  it("rejects a reversed range or a single number as a retryable parse error", async () => {
    for (const text of ["9-2", "5", "somewhere around ten"]) {
      const error = await rejectionOf(answer(text));
      expect(error.type).toBe("parse_error");
      expect(error.message).toContain('expected a range "min-max"');
      expect(error.options.retryable).toBe(true);
    }
  });
});
