import { describe, expect, it } from "vitest";
import { prompt_to_condition } from "../../../src/engine/handlers/prompt_to_condition";
import type { Task } from "../../../src/engine/chain";
import { FakeLLM, contextFor, rejectionOf, say } from "../fakes";

const task: Task = { id: "is_spam", handler: "prompt_to_condition" };

async function answer(text: string, which: Task = task) {
  const llm = new FakeLLM([say(text)]);
  const result = await prompt_to_condition(contextFor(which, { input: "WIN A PRIZE NOW", effects: { llm } }));
  return { result, llm };
}

describe("prompt_to_condition", () => {
  it('answers "true" or "false", accepting yes and no', async () => {
    expect((await answer("true")).result).toMatchObject({ output: "true", eval: "true" });
    expect((await answer("Yes.")).result).toMatchObject({ output: "true", eval: "true" });
    expect((await answer("no")).result).toMatchObject({ output: "false", eval: "false" });
    expect((await answer("FALSE")).result.eval).toBe("false");
  });

  it("asks for exactly the allowed answers", async () => {
    const { llm } = await answer("true");
    expect(llm.requests[0]?.messages[0]?.content).toContain('Answer with exactly one of: "true", "false".');
  });

  it("uses the task's own valid_conditions when given", async () => {
    const custom: Task = { ...task, valid_conditions: ["spam", "ham"] };
    expect((await answer("It is ham", custom)).result.eval).toBe("ham");
    const error = await rejectionOf(answer("yes", custom));
    expect(error.message).toContain('expected one of "spam", "ham"');
  });

  it("treats an unclear answer as a retryable parse error", async () => {
    const error = await rejectionOf(answer("maybe"));
    expect(error.type).toBe("parse_error");
    expect(error.options.retryable).toBe(true);
  });
});
