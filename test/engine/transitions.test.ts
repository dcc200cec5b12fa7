import { describe, expect, it } from "vitest";
import { edgeKey, evaluateBranch, isEnd, matchBranch, normalizeEdge, parseRange } from "../../src/engine/transitions";
import type { Branch, Operator } from "../../src/engine/chain";

const branch = (operator: Operator, when: string, goto = "next", edge?: string): Branch =>
  edge === undefined ? { operator, when, goto } : { operator, when, goto, edge };

const matches = (operator: Operator, when: string, evalValue: string) =>
  evaluateBranch(branch(operator, when), evalValue, {});

describe("evaluateBranch", () => {
  it("equals compares the whole text after trimming both sides", () => {
    expect(matches("equals", "tool-call", "tool-call")).toBe(true);
    expect(matches("equals", "yes", " yes\n")).toBe(true);
    expect(matches("equals", " yes ", "yes")).toBe(true);
    expect(matches("equals", "yes", "yes please")).toBe(false);
    expect(matches("equals", "yes", "Yes")).toBe(false);
  });

  it("contains, starts_with and ends_with look for the text", () => {
    expect(matches("contains", "error", "an error occurred")).toBe(true);
    expect(matches("contains", "error", "all good")).toBe(false);
    expect(matches("starts_with", "ERR", "  ERR: boom")).toBe(true);
    expect(matches("starts_with", "ERR", "no ERR")).toBe(false);
    expect(matches("ends_with", "done", "all done\n")).toBe(true);
    expect(matches("ends_with", "done", "done already")).toBe(false);
  });

  it("gt and lt compare numerically", () => {
    expect(matches("gt", "5", "10")).toBe(true); // as text "10" < "5"
    expect(matches("gt", "5", "5")).toBe(false);
    expect(matches("gt", "-1", "0.5")).toBe(true);
    expect(matches("lt", "5", "4.99")).toBe(true);
    expect(matches("lt", "5", "5")).toBe(false);
    expect(matches("lt", "10", " 9 ")).toBe(true);
  });

  it("gt and lt never match an eval that is not a number", () => {
    expect(matches("gt", "5", "many")).toBe(false);
    expect(matches("lt", "5", "")).toBe(false);
    expect(matches("lt", "5", "few")).toBe(false);
    expect(matches("gt", "five", "10")).toBe(false);
  });

  it("in_range is inclusive and accepts negative and decimal bounds", () => {
    expect(matches("in_range", "1-10", "1")).toBe(true);
    expect(matches("in_range", "1-10", "10")).toBe(true);
    expect(matches("in_range", "1-10", "10.5")).toBe(false);
    expect(matches("in_range", "1-10", "0")).toBe(false);
    expect(matches("in_range", "-5-10", "-5")).toBe(true);
    expect(matches("in_range", "-5-10", "-6")).toBe(false);
    expect(matches("in_range", "-10--5", "-7")).toBe(true);
    expect(matches("in_range", "0.5-1.5", "1.2")).toBe(true);
    expect(matches("in_range", "0.5-1.5", "1.6")).toBe(false);
    expect(matches("in_range", "1-10", "seven")).toBe(false);
    expect(matches("in_range", "between one and ten", "5")).toBe(false);
  });

  it("edge_traversed_at_least compares the edge's traversal count with when", () => {
    const loop = branch("edge_traversed_at_least", "3", "wrap_up", "chat->run_tools");
    expect(evaluateBranch(loop, "tool-call", { "chat->run_tools": 3 })).toBe(true);
    expect(evaluateBranch(loop, "tool-call", { "chat->run_tools": 4 })).toBe(true);
    expect(evaluateBranch(loop, "tool-call", { "chat->run_tools": 2 })).toBe(false);
    expect(evaluateBranch(loop, "tool-call", { "other->run_tools": 9 })).toBe(false);
  });

  it("edge_traversed_at_least treats an edge never traversed as 0 and tolerates spaces around ->", () => {
    expect(evaluateBranch(branch("edge_traversed_at_least", "0", "x", "a->b"), "", {})).toBe(true);
    expect(evaluateBranch(branch("edge_traversed_at_least", "1", "x", "a->b"), "", {})).toBe(false);
    expect(evaluateBranch(branch("edge_traversed_at_least", "2", "x", " a -> b "), "", { "a->b": 2 })).toBe(true);
  });

  it("edge_traversed_at_least without an edge never matches", () => {
    expect(evaluateBranch(branch("edge_traversed_at_least", "0"), "", {})).toBe(false);
  });

  it("default always matches", () => {
    expect(matches("default", "", "anything")).toBe(true);
    expect(matches("default", "ignored", "")).toBe(true);
  });
});

describe("matchBranch", () => {
  const branches = [
    branch("edge_traversed_at_least", "20", "wrap_up", "chat->run_tools"),
    branch("equals", "tool-call", "run_tools"),
    branch("default", "", "end"),
  ];

  it("takes the first matching branch, top to bottom", () => {
    expect(matchBranch(branches, "tool-call", { "chat->run_tools": 20 })).toEqual({ branch: branches[0], index: 0 });
    expect(matchBranch(branches, "tool-call", { "chat->run_tools": 19 })).toEqual({ branch: branches[1], index: 1 });
    expect(matchBranch(branches, "executed", {})).toEqual({ branch: branches[2], index: 2 });
  });

  it("returns undefined when nothing matches", () => {
    expect(matchBranch(branches.slice(0, 2), "executed", {})).toBeUndefined();
    expect(matchBranch([], "executed", {})).toBeUndefined();
  });
});

describe("edges and ends", () => {
  it("keys an edge as from->to", () => {
    expect(edgeKey("chat", "run_tools")).toBe("chat->run_tools");
    expect(normalizeEdge("  chat ->  run_tools ")).toBe("chat->run_tools");
  });

  it("parses in_range bounds", () => {
    expect(parseRange("-5-10")).toEqual({ min: -5, max: 10 });
    expect(parseRange("0.5 - 1.5")).toEqual({ min: 0.5, max: 1.5 });
    expect(parseRange("5")).toBeUndefined();
  });

  it("treats end, empty and missing gotos as the end of the run", () => {
    expect(isEnd("end")).toBe(true);
    expect(isEnd("")).toBe(true);
    expect(isEnd(undefined)).toBe(true);
    expect(isEnd("chat")).toBe(false);
    expect(isEnd("ending")).toBe(false);
  });
});
