import { describe, expect, it } from "vitest";
import { checkArguments, isInvalidArguments } from "../../src/engine/tool-arguments";
import type { ToolSpec } from "../../src/engine/chat";

const weather: ToolSpec = { name: "weather", parameters: { type: "object", properties: { days: { type: "integer", maximum: 7 } }, required: ["days"] } };

describe("checkArguments", () => {
  it("passes arguments that fit", () => {
    expect(checkArguments(weather, { days: 3 })).toBeUndefined();
  });

  it("answers arguments that do not fit with an { error } saying what to correct, and the problems", () => {
    const refusal = checkArguments(weather, { days: 9 });
    expect(refusal).toEqual({
      error: 'the arguments for tool "weather" do not fit its schema: days: must be <= 7, got 9. Correct them and call the tool again.',
      invalid_arguments: [{ path: "days", message: "must be <= 7, got 9" }],
    });
    expect(isInvalidArguments(refusal)).toBe(true);
  });

  it("tells a refusal from a tool's own error result", () => {
    expect(isInvalidArguments({ error: "mailbox full" })).toBe(false);
    expect(isInvalidArguments("error")).toBe(false);
    expect(isInvalidArguments(null)).toBe(false);
  });
});
