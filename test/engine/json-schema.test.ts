import { describe, expect, it } from "vitest";
import { describeProblems, validateValue } from "../../src/engine/json-schema";

const weather = {
  type: "object",
  properties: {
    city: { type: "string", minLength: 2 },
    days: { type: "integer", minimum: 1, maximum: 7 },
    units: { type: "string", enum: ["metric", "imperial"] },
    tags: { type: "array", items: { type: "string" }, maxItems: 2 },
  },
  required: ["city"],
  additionalProperties: false,
};

describe("validateValue", () => {
  it("accepts arguments that fit", () => {
    expect(validateValue(weather, { city: "Oslo", days: 3, units: "metric", tags: ["a"] })).toEqual([]);
  });

  it("names a missing required argument by its path", () => {
    expect(validateValue(weather, {})).toEqual([{ path: "city", message: "is required" }]);
  });

  it("reports wrong types, bounds, enums, unknown arguments and array items", () => {
    const problems = validateValue(weather, { city: 5, days: 9.5, units: "kelvin", tags: ["a", 2, "c"], citty: "x" });
    const text = describeProblems(problems);
    expect(text).toContain("city: must be a string, got the number 5");
    expect(text).toContain("days: must be an integer");
    expect(text).toContain('units: must be one of "metric", "imperial", got "kelvin"');
    expect(text).toContain("tags: must have at most 2 items");
    expect(text).toContain("tags[1]: must be a string");
    expect(text).toContain("citty: is not a known argument (known: city, days, units, tags)");
  });

  it("checks numeric bounds including exclusive ones", () => {
    expect(validateValue({ type: "number", exclusiveMinimum: 0 }, 0)[0]?.message).toBe("must be > 0, got 0");
    expect(validateValue({ type: "integer", maximum: 1000 }, 5000)[0]?.message).toBe("must be <= 1000, got 5000");
  });

  it("accepts null for type arrays with null and for 3.0 nullable", () => {
    expect(validateValue({ type: ["integer", "null"] }, null)).toEqual([]);
    expect(validateValue({ type: "integer", nullable: true }, null)).toEqual([]);
    expect(validateValue({ type: "integer" }, null)[0]?.message).toBe("must be an integer, got null");
  });

  it("handles allOf, anyOf and oneOf, telling the closest alternative when none fits", () => {
    const schema = { anyOf: [{ type: "string" }, { type: "object", properties: { id: { type: "integer" } }, required: ["id"] }] };
    expect(validateValue(schema, "x")).toEqual([]);
    expect(validateValue(schema, { id: 1 })).toEqual([]);
    const [problem] = validateValue(schema, { id: "one" });
    expect(problem?.message).toContain("does not match any allowed form");
    expect(problem?.message).toContain("id: must be an integer");
    expect(validateValue({ allOf: [{ required: ["a"] }, { required: ["b"] }] }, { a: 1 })).toEqual([{ path: "b", message: "is required" }]);
  });

  it("checks patterns and string lengths, and ignores a pattern JavaScript cannot compile", () => {
    expect(validateValue({ type: "string", pattern: "^[a-z]+$" }, "ABC")[0]?.message).toBe("must match the pattern ^[a-z]+$");
    expect(validateValue({ type: "string", pattern: "(?<" }, "anything")).toEqual([]);
    expect(validateValue(weather, { city: "X" })[0]).toEqual({ path: "city", message: "must be at least 2 characters long" });
  });

  it("validates additionalProperties schemas and nested paths", () => {
    const schema = { type: "object", properties: { meta: { type: "object", additionalProperties: { type: "number" } } } };
    expect(validateValue(schema, { meta: { a: 1, "b c": "x" } })).toEqual([{ path: 'meta."b c"', message: 'must be a number, got the string "x"' }]);
  });

  it("accepts anything for true, {} and a left-over $ref, and nothing for false", () => {
    expect(validateValue(true, 1)).toEqual([]);
    expect(validateValue({}, [1, "x"])).toEqual([]);
    expect(validateValue({ $ref: "#/components/schemas/Node" }, 42)).toEqual([]);
    expect(validateValue(false, 1)).toEqual([{ path: "", message: "is not allowed" }]);
  });

  it("follows $refs within the schema, so a shared definition is checked where it is used", () => {
    const schema = {
      type: "object",
      $defs: { point: { type: "object", properties: { x: { type: "number" } }, required: ["x"] } },
      properties: { from: { $ref: "#/$defs/point" }, path: { type: "array", items: { $ref: "#/$defs/point" } } },
    };
    expect(validateValue(schema, { from: { x: "1" }, path: [{ x: 1 }, {}] })).toEqual([
      { path: "from.x", message: 'must be a number, got the string "1"' },
      { path: "path[1].x", message: "is required" },
    ]);
  });

  it("quotes argument names that are not plain words, slashes and spaces included", () => {
    const schema = { type: "object", properties: { "a/b": { type: "string" }, "c d": { type: "string" } } };
    expect(describeProblems(validateValue(schema, { "a/b": 1, "c d": 2 }))).toBe('"a/b": must be a string, got the number 1; "c d": must be a string, got the number 2');
  });

  it("does not check formats, which services declare loosely", () => {
    expect(validateValue({ type: "string", format: "date-time" }, "tomorrow")).toEqual([]);
  });

  it("tells an array without a matching item what the closest item lacks", () => {
    const [problem] = validateValue({ type: "array", contains: { type: "integer", minimum: 5 } }, [1, "a"]);
    expect(problem).toEqual({ path: "", message: "must contain an item of the required form (closest: [0]: must be >= 5, got 1)" });
  });

  it("reports at most ten problems", () => {
    const schema = { type: "array", items: { type: "string" } };
    expect(validateValue(schema, Array.from({ length: 30 }, (_, i) => i))).toHaveLength(10);
  });
});
