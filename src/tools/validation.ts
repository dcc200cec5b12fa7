/**
 * A small JSON Schema validator for tool arguments (the 2020-12 keywords tool schemas use:
 * type, enum, const, properties, required, additionalProperties, items, prefixItems, the
 * numeric and length bounds, pattern, allOf/anyOf/oneOf/not). It reports problems in words a
 * model can act on, each with the path of the offending argument. `$ref`s are expected to be
 * resolved already; one left in place (a cut recursion) accepts anything. Formats are not
 * checked. Small on purpose: a full validator (ajv) compiles code, which Workers forbid.
 */

import { isJsonObject, type JsonObject } from "./json";

export type JsonSchema = JsonObject | boolean;

export interface SchemaProblem {
  /** Where in the arguments, e.g. `items[2].name`; empty for the arguments themselves. */
  path: string;
  message: string;
}

/** At most this many problems are reported: enough to fix a call, short enough to read. */
const MAX_PROBLEMS = 10;

export function validateValue(schema: JsonSchema, value: unknown): SchemaProblem[] {
  return check(schema, value, "").slice(0, MAX_PROBLEMS);
}

/** One line per problem, e.g. `city: is required`, for a tool message or an error. */
export function describeProblems(problems: SchemaProblem[]): string {
  return problems.map((p) => `${p.path || "(arguments)"}: ${p.message}`).join("; ");
}

/** The validator interface of `@modelcontextprotocol/sdk` (`jsonSchemaValidator`). */
export const mcpSchemaValidator = {
  getValidator<T>(schema: unknown) {
    return (input: unknown) => {
      const problems = validateValue(asSchema(schema), input);
      return problems.length === 0
        ? { valid: true as const, data: input as T, errorMessage: undefined }
        : { valid: false as const, data: undefined, errorMessage: describeProblems(problems) };
    };
  },
};

function asSchema(value: unknown): JsonSchema {
  return typeof value === "boolean" || isJsonObject(value) ? value : true;
}

function check(schema: JsonSchema, value: unknown, path: string): SchemaProblem[] {
  if (schema === true) return [];
  if (schema === false) return [{ path, message: "is not allowed" }];
  if (typeof schema.$ref === "string") return [];
  const typeProblem = checkType(schema, value, path);
  if (typeProblem) return [typeProblem];
  return [
    ...checkEnum(schema, value, path),
    ...checkString(schema, value, path),
    ...checkNumber(schema, value, path),
    ...checkObject(schema, value, path),
    ...checkArray(schema, value, path),
    ...checkCombinators(schema, value, path),
  ];
}

function checkType(schema: JsonObject, value: unknown, path: string): SchemaProblem | undefined {
  const declared = schema.type;
  const types = typeof declared === "string" ? [declared] : Array.isArray(declared) ? declared.filter((t) => typeof t === "string") : [];
  // OpenAPI 3.0's `nullable` may survive in hand-written schemas.
  if (schema.nullable === true && value === null) return undefined;
  if (types.length === 0 || types.some((t) => hasType(value, t))) return undefined;
  return { path, message: `must be ${types.map(article).join(" or ")}, got ${describe(value)}` };
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return isJsonObject(value);
    default:
      return true;
  }
}

function checkEnum(schema: JsonObject, value: unknown, path: string): SchemaProblem[] {
  if ("const" in schema && !sameValue(schema.const, value)) return [{ path, message: `must be ${JSON.stringify(schema.const)}` }];
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => sameValue(allowed, value))) {
    return [{ path, message: `must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(value)}` }];
  }
  return [];
}

function checkString(schema: JsonObject, value: unknown, path: string): SchemaProblem[] {
  if (typeof value !== "string") return [];
  const problems: SchemaProblem[] = [];
  const length = [...value].length;
  if (typeof schema.minLength === "number" && length < schema.minLength) problems.push({ path, message: `must be at least ${schema.minLength} characters long` });
  if (typeof schema.maxLength === "number" && length > schema.maxLength) problems.push({ path, message: `must be at most ${schema.maxLength} characters long` });
  if (typeof schema.pattern === "string") {
    const pattern = compile(schema.pattern);
    if (pattern && !pattern.test(value)) problems.push({ path, message: `must match the pattern ${schema.pattern}` });
  }
  return problems;
}

function compile(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, "u");
  } catch {
    // A pattern JavaScript cannot read is the schema's problem, not the caller's.
    return undefined;
  }
}

function checkNumber(schema: JsonObject, value: unknown, path: string): SchemaProblem[] {
  if (typeof value !== "number") return [];
  const bounds: Array<[string, (limit: number) => boolean, string]> = [
    ["minimum", (limit) => value >= limit, ">="],
    ["maximum", (limit) => value <= limit, "<="],
    ["exclusiveMinimum", (limit) => value > limit, ">"],
    ["exclusiveMaximum", (limit) => value < limit, "<"],
  ];
  const problems: SchemaProblem[] = bounds.flatMap(([keyword, ok, op]) => {
    const limit = schema[keyword];
    return typeof limit === "number" && !ok(limit) ? [{ path, message: `must be ${op} ${limit}, got ${value}` }] : [];
  });
  const step = schema.multipleOf;
  if (typeof step === "number" && step > 0 && !Number.isInteger(value / step)) problems.push({ path, message: `must be a multiple of ${step}` });
  return problems;
}

function checkObject(schema: JsonObject, value: unknown, path: string): SchemaProblem[] {
  if (!isJsonObject(value)) return [];
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  const problems: SchemaProblem[] = [];
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) {
      if (typeof name === "string" && !(name in value)) problems.push({ path: join(path, name), message: "is required" });
    }
  }
  for (const [name, item] of Object.entries(value)) {
    const declared = properties[name];
    if (declared !== undefined) {
      problems.push(...check(asSchema(declared), item, join(path, name)));
    } else if (schema.additionalProperties === false) {
      const known = Object.keys(properties);
      problems.push({ path: join(path, name), message: `is not a known argument${known.length ? ` (known: ${known.join(", ")})` : ""}` });
    } else if (isJsonObject(schema.additionalProperties)) {
      problems.push(...check(schema.additionalProperties, item, join(path, name)));
    }
  }
  const count = Object.keys(value).length;
  if (typeof schema.minProperties === "number" && count < schema.minProperties) problems.push({ path, message: `must have at least ${schema.minProperties} properties` });
  if (typeof schema.maxProperties === "number" && count > schema.maxProperties) problems.push({ path, message: `must have at most ${schema.maxProperties} properties` });
  return problems;
}

function checkArray(schema: JsonObject, value: unknown, path: string): SchemaProblem[] {
  if (!Array.isArray(value)) return [];
  const problems: SchemaProblem[] = [];
  if (typeof schema.minItems === "number" && value.length < schema.minItems) problems.push({ path, message: `must have at least ${schema.minItems} items` });
  if (typeof schema.maxItems === "number" && value.length > schema.maxItems) problems.push({ path, message: `must have at most ${schema.maxItems} items` });
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  value.forEach((item, index) => {
    const itemSchema = index < prefix.length ? prefix[index] : schema.items;
    if (itemSchema !== undefined) problems.push(...check(asSchema(itemSchema), item, `${path}[${index}]`));
  });
  if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) problems.push({ path, message: "must not contain duplicate items" });
  return problems;
}

function checkCombinators(schema: JsonObject, value: unknown, path: string): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) problems.push(...check(asSchema(part), value, path));
  // oneOf is checked like anyOf: overlapping alternatives are common in real specs, and
  // refusing a call that fits two of them would only confuse the model.
  for (const keyword of ["anyOf", "oneOf"] as const) {
    const options = schema[keyword];
    if (!Array.isArray(options) || options.length === 0) continue;
    const attempts = options.map((option) => check(asSchema(option), value, path));
    if (attempts.every((attempt) => attempt.length > 0)) {
      // An alternative of the right type whose details are off is a better hint than one of another type.
      const distance = (attempt: SchemaProblem[]) => attempt.length + (attempt.some((p) => p.path === path && p.message.startsWith("must be")) ? 100 : 0);
      const closest = attempts.reduce((best, attempt) => (distance(attempt) < distance(best) ? attempt : best));
      problems.push({ path, message: `does not match any allowed form (closest: ${describeProblems(closest)})` });
    }
  }
  if (schema.not !== undefined && check(asSchema(schema.not), value, path).length === 0) problems.push({ path, message: "is a value that is not allowed here" });
  return problems;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function join(path: string, name: string): string {
  const key = /^[A-Za-z_$][\w$-]*$/.test(name) ? name : JSON.stringify(name);
  return path ? `${path}.${key}` : key;
}

function article(type: string): string {
  return { integer: "an integer", object: "an object", array: "an array", null: "null" }[type] ?? `a ${type}`;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && Number.isInteger(value)) return `the number ${value}`;
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === "object" ? "an object" : `${article(typeof value)} (${JSON.stringify(value)})`;
}
