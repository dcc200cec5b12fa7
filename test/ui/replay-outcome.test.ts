import { describe, expect, it } from "vitest";
import { comparable, outcomeOf, sideOf } from "../../ui/src/lib/replay-outcome";

const tools = [{ name: "workspace__write", description: "Write a file", parameters: { type: "object" } }];
const prompt = (messages: unknown[]) => ({ kind: "llm", request: { messages, tools, model: "m" } });

describe("outcomeOf", () => {
  it("reads a replay as same, diverged or not replayable", () => {
    expect(outcomeOf({ replayable: true, diverged: false })).toBe("same");
    expect(outcomeOf({ replayable: true, diverged: true })).toBe("diverged");
    expect(outcomeOf({ replayable: false, diverged: false })).toBe("not-replayable");
  });
});

describe("sideOf", () => {
  it("takes an LLM request as a prompt with its messages, another effect as an effect, a task name as a value, and null as nothing", () => {
    const messages = [{ role: "user", content: "go" }];
    expect(sideOf(prompt(messages))).toMatchObject({ kind: "prompt", messages });
    expect(sideOf({ kind: "tools.call", request: { name: "svc__get", args: { city: "Oslo" } } })).toEqual({ kind: "effect", effect: "tools.call", request: { name: "svc__get", args: { city: "Oslo" } } });
    expect(sideOf("tools")).toEqual({ kind: "value", value: "tools" });
    expect(sideOf({ type: "tool_error", message: "boom" })).toEqual({ kind: "value", value: { type: "tool_error", message: "boom" } });
    expect(sideOf(null)).toEqual({ kind: "none" });
  });
});

describe("comparable", () => {
  it("leaves out what two requests share, so two prompts compare only their messages", () => {
    const [before, after] = comparable(sideOf(prompt([{ role: "user", content: "go" }])), sideOf(prompt([{ role: "system", content: "Be terse." }, { role: "user", content: "go" }])));
    expect(JSON.parse(before)).toEqual({ messages: [{ role: "user", content: "go" }] });
    expect(JSON.parse(after)).toEqual({ messages: [{ role: "system", content: "Be terse." }, { role: "user", content: "go" }] });
  });

  it("keeps a side that asked for nothing empty, and two values whole", () => {
    expect(comparable(sideOf({ kind: "tools.call", request: { name: "a", args: {} } }), sideOf(null))).toEqual([`${JSON.stringify({ "tools.call": { name: "a", args: {} } }, null, 2)}\n`, ""]);
    expect(comparable(sideOf("tools"), sideOf("end"))).toEqual(['"tools"\n', '"end"\n']);
  });
});
