import { describe, expect, it } from "vitest";
import { route } from "../../../src/engine/handlers/route";
import type { Task } from "../../../src/engine/chain";
import { FakeLLM, USAGE, contextFor, rejectionOf, say } from "../fakes";

const triage: Task = {
  id: "triage",
  handler: "route",
  transition: {
    branches: [
      { operator: "equals", when: "billing", goto: "billing_desk" },
      { operator: "equals", when: "technical", goto: "tech_desk" },
      { operator: "edge_traversed_at_least", edge: "triage->billing_desk", when: "3", goto: "end" },
      { operator: "default", when: "", goto: "human" },
    ],
  },
};

async function routeAnswer(answer: string, task: Task = triage) {
  const llm = new FakeLLM([say(answer)]);
  const result = await route(contextFor(task, { input: "My invoice is wrong", effects: { llm } }));
  return { result, llm };
}

describe("route", () => {
  it("offers the labels of the non-default branches and takes the one the model picks", async () => {
    const { result, llm } = await routeAnswer("billing");
    const system = llm.requests[0]?.messages[0]?.content;
    expect(system).toContain('"billing", "technical"');
    expect(system).not.toContain('"3"');
    expect(llm.requests[0]?.messages[1]).toEqual({ role: "user", content: "My invoice is wrong" });
    expect(result.eval).toBe("billing");
    expect(result.output).toBe("My invoice is wrong");
    expect(result.usage).toEqual(USAGE);
  });

  it("tolerates case, quotes, punctuation and extra words when exactly one label appears", async () => {
    expect((await routeAnswer('"Technical".')).result.eval).toBe("technical");
    expect((await routeAnswer("I would route this to **Billing** because of the invoice.")).result.eval).toBe("billing");
  });

  it("prefers valid_conditions over branch values", async () => {
    const task: Task = { ...triage, valid_conditions: ["urgent", "later"] };
    const { result, llm } = await routeAnswer("Urgent", task);
    expect(llm.requests[0]?.messages[0]?.content).toContain('"urgent", "later"');
    expect(result.eval).toBe("urgent");
  });

  it("fails without retry when the answer names no label or more than one", async () => {
    for (const answer of ["sales", "billing or technical"]) {
      const llm = new FakeLLM([say(answer)]);
      const error = await rejectionOf(route(contextFor(triage, { input: "x", effects: { llm } })));
      expect(error.type).toBe("invalid_route");
      expect(error.message).toBe(`task "triage": model answered "${answer}", expected one of "billing", "technical"`);
      expect(error.options.retryable).toBe(false);
    }
  });

  it("refuses to run without any label to offer", async () => {
    const task: Task = { id: "triage", handler: "route", transition: { branches: [{ operator: "default", when: "", goto: "end" }] } };
    const llm = new FakeLLM([say("anything")]);
    const error = await rejectionOf(route(contextFor(task, { input: "x", effects: { llm } })));
    expect(error.type).toBe("validation");
    expect(llm.requests).toHaveLength(0);
  });
});
