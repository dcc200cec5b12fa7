import { describe, expect, it } from "vitest";
import { mcpSchemaValidator } from "../../../src/tools/mcp/schema-validator";

describe("mcpSchemaValidator", () => {
  it("implements the MCP SDK validator interface", () => {
    const check = mcpSchemaValidator.getValidator<{ a: number }>({ type: "object", properties: { a: { type: "number" } }, required: ["a"] });
    expect(check({ a: 1 })).toEqual({ valid: true, data: { a: 1 }, errorMessage: undefined });
    expect(check({})).toEqual({ valid: false, data: undefined, errorMessage: "a: is required" });
  });
});
