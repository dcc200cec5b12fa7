import { describe, expect, it } from "vitest";
import { SourceEdits } from "../../src/sandbox/source-edits";

describe("SourceEdits", () => {
  it("wraps ranges and replaces text by offsets, leaving the rest untouched", () => {
    const edits = new SourceEdits();
    edits.replace(0, 5, "let");
    edits.wrap(10, 15, "[", "]");
    expect(edits.apply("const a = b + c;")).toBe("let a = [b + c];");
  });

  it("nests wraps that share an offset by their extent, whatever order they were added in", () => {
    const source = "for (;;) a => a";
    const loopBody = { start: 9, end: 15 };
    const arrowBody = { start: 14, end: 15 };
    for (const order of [[loopBody, arrowBody], [arrowBody, loopBody]]) {
      const edits = new SourceEdits();
      for (const range of order) {
        if (range === loopBody) edits.wrap(range.start, range.end, "{c();", "}");
        else edits.wrap(range.start, range.end, "(c(), ", ")");
      }
      expect(edits.apply(source)).toBe("for (;;) {c();a => (c(), a)}");
    }
  });

  it("opens an outer range before an inner one that starts at the same offset", () => {
    const edits = new SourceEdits();
    edits.wrap(0, 3, "(await ", ")");
    edits.wrap(0, 4, "return ");
    expect(edits.apply("f(x);")).toBe("return (await f(x));");
  });

  it("closes a range that ends at an offset before opening one that starts there", () => {
    const edits = new SourceEdits();
    edits.wrap(0, 1, "<", ">");
    edits.wrap(1, 2, "[", "]");
    expect(edits.apply("ab")).toBe("<a>[b]");
  });

  it("puts a wrap made outside a range around every other wrap of that range, whatever order they were added in", () => {
    for (const outsideFirst of [true, false]) {
      const edits = new SourceEdits();
      const outside = () => edits.wrapOutside(0, 6, "{c();", "}");
      if (outsideFirst) outside();
      edits.wrap(0, 6, "text(", ")");
      if (!outsideFirst) outside();
      edits.wrap(0, 7, "[", "]");
      expect(edits.apply("s += t;")).toBe("[{c();text(s += t)};]");
    }
  });
});
