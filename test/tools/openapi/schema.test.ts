import { describe, expect, it } from "vitest";
import { toJsonSchema } from "../../../src/tools/openapi/schema";

describe("toJsonSchema", () => {
  it("translates 3.0 nullable and boolean exclusive bounds", () => {
    expect(toJsonSchema({ type: "string", nullable: true, enum: ["a", "b"] }, "3.0")).toEqual({ type: ["string", "null"], enum: ["a", "b", null] });
    expect(toJsonSchema({ type: "number", minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: false }, "3.0")).toEqual({ type: "number", exclusiveMinimum: 0, maximum: 10 });
    expect(toJsonSchema({ allOf: [{ type: "object" }], nullable: true }, "3.0")).toEqual({ anyOf: [{ allOf: [{ type: "object" }] }, { type: "null" }] });
  });

  it("drops OpenAPI-only keywords at every level but keeps properties that happen to share their names", () => {
    const schema = {
      type: "object",
      example: { a: 1 },
      xml: { name: "x" },
      properties: { example: { type: "string", deprecated: true }, list: { type: "array", items: { type: "integer", example: 3 } } },
    };
    expect(toJsonSchema(schema, "3.1")).toEqual({ type: "object", properties: { example: { type: "string" }, list: { type: "array", items: { type: "integer" } } } });
  });

  it("leaves 3.1 type arrays alone", () => {
    expect(toJsonSchema({ type: ["integer", "null"] }, "3.1")).toEqual({ type: ["integer", "null"] });
  });
});
