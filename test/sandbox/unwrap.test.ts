import { describe, expect, it } from "vitest";
import { unwrapCode } from "../../src/sandbox/unwrap";

describe("unwrapCode", () => {
  it("returns plain code unchanged, trimmed", () => {
    expect(unwrapCode("  const x = 1;\nx\n\n")).toBe("const x = 1;\nx");
  });

  it.each(["js", "javascript", "ts", "typescript", ""])("strips a ```%s fence", (tag) => {
    expect(unwrapCode("```" + tag + "\nreturn 42;\n```")).toBe("return 42;");
  });

  it("strips a fence with prose around it", () => {
    const text = "Here is the code:\n\n```javascript\nconst r = await callTool('a', {});\nr\n```\n\nThis calls the tool.";
    expect(unwrapCode(text)).toBe("const r = await callTool('a', {});\nr");
  });

  it("takes the first fenced block when there are several", () => {
    expect(unwrapCode("```js\nfirst()\n```\nand\n```js\nsecond()\n```")).toBe("first()");
  });

  it("accepts tilde fences and longer backtick fences", () => {
    expect(unwrapCode("~~~js\nreturn 1\n~~~")).toBe("return 1");
    expect(unwrapCode("````js\nconst s = '```';\n````")).toBe("const s = '```';");
  });

  it("reads an unclosed fence to the end", () => {
    expect(unwrapCode("```js\nreturn 1")).toBe("return 1");
  });

  it('unwraps a {"code": "..."} JSON wrapper', () => {
    expect(unwrapCode(JSON.stringify({ code: "const a = 1;\nreturn a" }))).toBe("const a = 1;\nreturn a");
  });

  it("unwraps a fenced JSON wrapper whose code is itself fenced", () => {
    const inner = JSON.stringify({ code: "```js\nreturn 7\n```" });
    expect(unwrapCode("```json\n" + inner + "\n```")).toBe("return 7");
  });

  it("leaves code that starts with a brace but is not a wrapper alone", () => {
    expect(unwrapCode("{ const a = 1; }")).toBe("{ const a = 1; }");
    expect(unwrapCode('{"other": "x"}')).toBe('{"other": "x"}');
  });
});
