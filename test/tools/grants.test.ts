import { describe, expect, it } from "vitest";
import { resolveGrant } from "../../src/tools/grants";
import type { ToolEntry } from "../../src/tools/types";

const entry = (name: string, service: string): ToolEntry => ({ service, spec: { name, parameters: { type: "object" } }, call: async () => null });
const all = [entry("mock__listRecords", "mock"), entry("mock__createNote", "mock"), entry("everything__echo", "everything"), entry("execute_js", "js_sandbox")];
const names = (grant: string[] | undefined) => resolveGrant(all, grant).map((e) => e.spec.name);

describe("resolveGrant", () => {
  it('grants everything with "*"', () => {
    expect(names(["*"])).toEqual(all.map((e) => e.spec.name));
  });

  it("grants nothing with [] or no list", () => {
    expect(names([])).toEqual([]);
    expect(names(undefined)).toEqual([]);
  });

  it("grants explicit tool names and whole services", () => {
    expect(names(["everything__echo", "mock"])).toEqual(["mock__listRecords", "mock__createNote", "everything__echo"]);
  });

  it('excludes tools and services with "!name"', () => {
    expect(names(["*", "!mock__createNote", "!js_sandbox"])).toEqual(["mock__listRecords", "everything__echo"]);
    expect(names(["*", "!mock"])).toEqual(["everything__echo", "execute_js"]);
    expect(names(["mock", "!mock__listRecords"])).toEqual(["mock__createNote"]);
  });
});
