/**
 * The JSON Schema validator the MCP client checks tool results with (the SDK's
 * `jsonSchemaValidator` interface), backed by the engine's checks so that a failure reads like
 * any other (`a: is required`) rather than as the SDK's bundled cfworker provider words it
 * (`#/a: Instance does not have required property "a".`).
 */

import { describeProblems, validateValue, type JsonSchema } from "../../engine/json-schema";
import { isJsonObject } from "../json";

export const mcpSchemaValidator = {
  getValidator<T>(schema: unknown) {
    const checked: JsonSchema = typeof schema === "boolean" || isJsonObject(schema) ? schema : true;
    return (input: unknown) => {
      const problems = validateValue(checked, input);
      return problems.length === 0
        ? { valid: true as const, data: input as T, errorMessage: undefined }
        : { valid: false as const, data: undefined, errorMessage: describeProblems(problems) };
    };
  },
};
