import { describe, expect, it } from "vitest";
import { prompt_to_js } from "../../../src/engine/handlers/prompt_to_js";
import type { Task } from "../../../src/engine/chain";
import { FakeLLM, contextFor, rejectionOf, say } from "../fakes";

const task: Task = { id: "write_code", handler: "prompt_to_js" };

async function answer(text: string) {
  return prompt_to_js(contextFor(task, { input: "Sum the numbers 1..10", effects: { llm: new FakeLLM([say(text)]) } }));
}

const CODE = "let total = 0;\nfor (let i = 1; i <= 10; i++) total += i;\nreturn total;";

describe("prompt_to_js", () => {
  it("passes bare code on as { code }", async () => {
    expect(await answer(CODE)).toMatchObject({ output: { code: CODE }, eval: "ok" });
  });

  it("strips markdown fences and the prose around them", async () => {
    const result = await answer(`Here you go:\n\n\`\`\`javascript\n${CODE}\n\`\`\`\n\nThis sums the numbers.`);
    expect(result.output).toEqual({ code: CODE });
  });

  it('unwraps a {"code": "…"} JSON answer, fenced or not', async () => {
    expect((await answer(JSON.stringify({ code: CODE }))).output).toEqual({ code: CODE });
    expect((await answer(`\`\`\`json\n${JSON.stringify({ code: CODE })}\n\`\`\``)).output).toEqual({ code: CODE });
  });

  it("keeps code that merely starts with an object literal", async () => {
    const code = "({ a: 1 }).a";
    expect((await answer(code)).output).toEqual({ code });
  });

  it("treats an answer without code as a retryable parse error", async () => {
    const error = await rejectionOf(answer("```js\n```"));
    expect(error.type).toBe("parse_error");
    expect(error.options.retryable).toBe(true);
  });
});
