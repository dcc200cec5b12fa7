import { describe, expect, it } from "vitest";
import { pathSegments, placeProblem } from "../../ui/src/lib/problem-place";

const text = `{
  // a comment, as JSONC allows
  "id": "c",
  "tasks": [
    { "id": "a", "handler": "noop", "transition": { "branches": [{ "operator": "default", "when": "", "goto": "nowhere" }] } },
    { "id": "b" },
    { "id": "odd", "execute_config": { "odd key": 1 } }
  ]
}`;

describe("placeProblem", () => {
  it("finds a problem's JSON path in the text and marks the property", () => {
    const place = placeProblem(text, { severity: "error", path: "tasks[0].transition.branches[0].goto", message: "goes nowhere" })!;
    expect(place.line).toBe(5);
    expect(text.slice(place.offset, place.offset + place.length)).toBe('"goto": "nowhere"');
  });

  it("points a missing field at the object that lacks it, and a syntax error at its line", () => {
    const missing = placeProblem(text, { severity: "error", path: "tasks[1].handler", message: "required" })!;
    expect(missing.line).toBe(6);
    expect(text.slice(missing.offset, missing.offset + missing.length)).toBe("{");
    expect(placeProblem(text, { severity: "error", path: "", message: "syntax error at 7:3 (line 7, column 3): missing comma" })!.line).toBe(7);
  });

  it("reads quoted keys in paths", () => {
    expect(pathSegments('tasks[2].execute_config["odd key"]')).toEqual(["tasks", 2, "execute_config", "odd key"]);
    expect(placeProblem(text, { severity: "warning", path: 'tasks[2].execute_config["odd key"]', message: "unknown" })!.line).toBe(7);
  });
});
