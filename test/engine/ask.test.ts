import { describe, expect, it } from "vitest";
import { matchLabel, requestFor } from "../../src/engine/ask";
import { contextFor } from "./fakes";

describe("matchLabel", () => {
  const labels = ["tool-call", "executed", "done"];

  it("matches exactly, ignoring case, quotes and trailing punctuation", () => {
    expect(matchLabel("Executed.", labels)).toBe("executed");
    expect(matchLabel("`tool-call`", labels)).toBe("tool-call");
  });

  it("finds a label inside extra words only when it is the only one there", () => {
    expect(matchLabel("I think we are done here", labels)).toBe("done");
    expect(matchLabel("done, then executed", labels)).toBeUndefined();
  });

  it("does not match part of a longer word", () => {
    expect(matchLabel("undone", labels)).toBeUndefined();
    expect(matchLabel("tool-calls", labels)).toBeUndefined();
  });

  it("maps aliases onto their labels", () => {
    expect(matchLabel("Yes!", ["true", "false"], { yes: "true", no: "false" })).toBe("true");
  });
});

describe("requestFor", () => {
  it("carries model, provider and sampling settings, leaving out what is unset", () => {
    const ctx = contextFor({ id: "t", handler: "prompt_to_string", execute_config: { max_tokens: 10 } }, { model: "m" });
    expect(requestFor(ctx, [])).toEqual({ model: "m", messages: [], max_tokens: 10 });
  });
});
