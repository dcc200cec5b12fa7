import { describe, expect, it } from "vitest";
import { forkRequest, inputText } from "../../ui/src/lib/fork-request";

describe("forkRequest", () => {
  it("sends only what the form changes: the step, vars when there are any", () => {
    expect(forkRequest({ from_step: 2, vars: {} })).toEqual({ ok: true, body: { from_step: 2 } });
    expect(forkRequest({ from_step: 1, vars: { tone: "formal" } })).toEqual({ ok: true, body: { from_step: 1, vars: { tone: "formal" } } });
  });

  it("sends a text input as text and any other input, and a patch, as JSON; the chain as its JSONC text", () => {
    const chain = '{ "id": "c", // a comment\n "tasks": [] }';
    expect(forkRequest({ from_step: 1, vars: {}, input: { text: "hello {not json", asText: true }, patch: '{"answer": 42}', chain })).toEqual({
      ok: true,
      body: { from_step: 1, input: "hello {not json", patch: { answer: 42 }, chain },
    });
    expect(forkRequest({ from_step: 1, vars: {}, input: { text: '[{"role": "user", "content": "hi"}]', asText: false } })).toMatchObject({ body: { input: [{ role: "user", content: "hi" }] } });
  });

  it("names the field whose text is not JSON", () => {
    expect(forkRequest({ from_step: 1, vars: {}, patch: "{oops" })).toMatchObject({ ok: false, path: "patch", message: expect.stringContaining("not JSON") });
    expect(forkRequest({ from_step: 1, vars: {}, input: { text: "{", asText: false } })).toMatchObject({ ok: false, path: "input" });
  });
});

describe("inputText", () => {
  it("shows a text input as written and anything else as JSON", () => {
    expect(inputText("hi")).toEqual({ text: "hi", asText: true });
    expect(inputText({ a: 1 })).toEqual({ text: '{\n  "a": 1\n}', asText: false });
    expect(inputText(null)).toEqual({ text: "null", asText: false });
  });
});
