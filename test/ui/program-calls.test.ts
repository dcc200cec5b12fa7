import { describe, expect, it } from "vitest";
import type { SandboxCall } from "../../ui/src/api/types";
import { errorLine, placeCalls } from "../../ui/src/lib/program-calls";

const call = (name: string, args: unknown[], ok = true): SandboxCall => ({ name, args, ok, duration_ms: 3 });

describe("placeCalls", () => {
  it("puts each capability call beside the line that made it, in order", () => {
    const code = [
      'const a = await tools.weather.get_weather({ city: "Oslo" });',
      'const b = await callTool("notes__createNote", { title: a.city });',
      'const page = await httpFetch("https://example.com");',
      "return { a, b, page };",
    ].join("\n");
    const placed = placeCalls(code, [
      call("callTool", ["weather__get_weather", { city: "Oslo" }]),
      call("callTool", ["notes__createNote", { title: "Oslo" }]),
      call("httpFetch", ["https://example.com"], false),
    ]);
    expect(placed.map((p) => [p.order, p.line])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it("keeps a loop's calls on its one line, lets two sites of the same call take turns, and leaves computed names unplaced", () => {
    const code = [
      "for (const city of cities) await tools.weather.get_weather({ city });",
      'const first = await sendEvent("a", {});',
      'const second = await sendEvent("b", {});',
      "const name = pick();",
      "await callTool(name, {});",
    ].join("\n");
    const weather = call("callTool", ["weather__get_weather", {}]);
    const placed = placeCalls(code, [weather, weather, weather, call("sendEvent", ["a", {}]), call("sendEvent", ["b", {}]), call("callTool", ["other__op", {}])]);
    expect(placed.map((p) => p.line)).toEqual([1, 1, 1, 2, 3, 5]);
    expect(placeCalls("return 1;", [call("executeTask", ["hi"])])[0]!.line).toBeUndefined();
  });
});

describe("errorLine", () => {
  it("reads the line a syntax error names, and nothing from an error without one", () => {
    expect(errorLine("SyntaxError at 3:14: Unexpected token")).toBe(3);
    expect(errorLine("TypeError: Cannot read properties of undefined (reading 'today')")).toBeUndefined();
    expect(errorLine(undefined)).toBeUndefined();
  });
});
