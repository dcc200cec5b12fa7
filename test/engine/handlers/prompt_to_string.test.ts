import { describe, expect, it } from "vitest";
import { prompt_to_string } from "../../../src/engine/handlers/prompt_to_string";
import type { Task } from "../../../src/engine/chain";
import { FakeLLM, contextFor, rejectionOf, say } from "../fakes";

const task: Task = { id: "title", handler: "prompt_to_string", execute_config: { model: "ignored-here", temperature: 0 } };

describe("prompt_to_string", () => {
  it("sends the rendered prompt under the system instruction and passes the trimmed answer on", async () => {
    const llm = new FakeLLM([say("  A Tale of Two Cities \n")]);
    const result = await prompt_to_string(
      contextFor(task, { prompt: "Title of the book?", system: "You are a librarian.", model: "m2", effects: { llm } }),
    );

    const request = llm.requests[0];
    expect(request?.model).toBe("m2");
    expect(request?.temperature).toBe(0);
    expect(request?.messages[0]?.content).toMatch(/^You are a librarian\.\n\n/);
    expect(request?.messages[1]).toEqual({ role: "user", content: "Title of the book?" });
    expect(result.output).toBe("A Tale of Two Cities");
    expect(result.eval).toBe("A Tale of Two Cities");
    expect(result.model).toBe("m2");
  });

  it("sends the input as the prompt when there is no template", async () => {
    const llm = new FakeLLM([say("ok")]);
    await prompt_to_string(contextFor(task, { input: "Summarise: cats sleep a lot.", effects: { llm } }));
    expect(llm.requests[0]?.messages[1]?.content).toBe("Summarise: cats sleep a lot.");
  });

  it("treats an empty answer as a retryable parse error", async () => {
    const llm = new FakeLLM([say("   ")]);
    const error = await rejectionOf(prompt_to_string(contextFor(task, { input: "x", effects: { llm } })));
    expect(error.type).toBe("parse_error");
    expect(error.options.retryable).toBe(true);
  });
});
