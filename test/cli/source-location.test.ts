import { describe, expect, it } from "vitest";
import { locate, pathSegments } from "../../cli/source-location";

const TEXT = `// comment first
{
  "id": "c",
  "tasks": [
    { "id": "a", "handler": "noop", "odd key": 1 },
    {
      "id": "b",
      "promptTemplate": "hi"
    }
  ]
}`;

describe("pathSegments", () => {
  it("reads back the engine's paths, quoted keys included", () => {
    expect(pathSegments("tasks[2].transition.branches[0].goto")).toEqual(["tasks", 2, "transition", "branches", 0, "goto"]);
    expect(pathSegments('tasks[0]["odd key"]')).toEqual(["tasks", 0, "odd key"]);
    expect(pathSegments("")).toEqual([]);
  });
});

describe("locate", () => {
  const at = (path: string, message = "m") => locate(TEXT, { severity: "error", path, message });

  it("points at the key of a field that is there", () => {
    expect(at("tasks[0].handler")).toEqual({ line: 5, column: 18 });
    expect(at('tasks[0]["odd key"]')).toEqual({ line: 5, column: 37 });
  });

  it("points at the nearest ancestor of a field the text lacks or spells otherwise", () => {
    expect(at("tasks[1].handler")).toEqual({ line: 6, column: 5 });
    expect(at("tasks[1].prompt_template")).toEqual({ line: 6, column: 5 });
  });

  it("takes a syntax error's own position from its message", () => {
    expect(at("", "syntax error at 3:9 (line 3, column 9): expected a value")).toEqual({ line: 3, column: 9 });
  });
});
