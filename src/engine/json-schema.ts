/**
 * JSON Schema checks (2020-12) for tool arguments, done by `@cfworker/json-schema`, the validator
 * built for Workers (it interprets schemas; ajv compiles code, which Workers forbid). Its findings
 * are put here in words a model can act on, each with the path of the offending argument, e.g.
 * `tags[1]: must be a string, got the number 2`: the library's own ("Instance type "number" is
 * invalid. Expected "string".", "False boolean schema.") name no argument a model would know.
 * OpenAPI 3.0's `nullable` is honoured, as it may survive in hand-written schemas; formats are not
 * checked, as services declare them loosely and check their own input. A schema the library
 * cannot read (a `$ref` to nothing, a pattern JavaScript cannot compile) accepts anything: that is
 * the tool's problem, not the caller's. The library adds 46 KiB to the Worker bundle (8.7 KiB
 * gzipped, measured with `npm run build`).
 */

import { dereference, validate, type OutputUnit, type Schema } from "@cfworker/json-schema";

export type JsonSchema = { [key: string]: unknown } | boolean;

export interface SchemaProblem {
  /** Where in the value, e.g. `items[2].name`; empty for the value itself. */
  path: string;
  message: string;
}

/** At most this many problems are reported: enough to fix a call, short enough to read. */
const MAX_PROBLEMS = 10;

const DRAFT = "2020-12";

/** Keywords whose failure is told by the failures of their subschemas, which follow them. */
const WRAPPERS = new Set([
  "$ref",
  "$recursiveRef",
  "properties",
  "patternProperties",
  "additionalProperties",
  "unevaluatedProperties",
  "propertyNames",
  "dependentSchemas",
  "prefixItems",
  "items",
  "additionalItems",
  "unevaluatedItems",
  "allOf",
  "if",
]);

interface Checked {
  root: JsonSchema;
  lookup: Record<string, Schema | boolean>;
  value: unknown;
}

export function validateValue(schema: JsonSchema, value: unknown): SchemaProblem[] {
  let lookup: Checked["lookup"];
  let units: OutputUnit[];
  try {
    lookup = dereference(schema as Schema | boolean);
    units = validate(value, schema as Schema | boolean, DRAFT, lookup, false).errors;
  } catch {
    return [];
  }
  return problemsOf(units, { root: schema, lookup, value }).slice(0, MAX_PROBLEMS);
}

/** One line per problem, e.g. `city: is required`, for a tool message or an error. */
export function describeProblems(problems: SchemaProblem[]): string {
  return problems.map((p) => `${p.path || "(arguments)"}: ${p.message}`).join("; ");
}

function problemsOf(units: OutputUnit[], checked: Checked): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  // A value of the wrong type is told that alone, not also every bound its schema sets.
  const mistyped = new Set(units.filter((unit) => unit.keyword === "type" && typeProblem(unit, checked)).map(nodeOf));
  // The library reports each missing property on its own; the first report tells them all.
  const requiredTold = new Set<string>();
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!;
    if (unit.keyword === "anyOf" || unit.keyword === "oneOf" || unit.keyword === "contains") {
      problems.push(...alternativesProblem(unit, checked));
      // The alternatives' own failures follow; a `false` one names the value instead of its place.
      while (units[i + 1]?.keywordLocation.startsWith(`${unit.keywordLocation}/`) || units[i + 1]?.keyword === "false") i++;
      continue;
    }
    if (WRAPPERS.has(unit.keyword) || (unit.keyword !== "type" && mistyped.has(nodeOf(unit)))) continue;
    if (unit.keyword === "required") {
      if (requiredTold.has(nodeOf(unit))) continue;
      requiredTold.add(nodeOf(unit));
    }
    problems.push(...leafProblems(unit, units[i - 1], checked));
  }
  return problems;
}

/** The schema object and the value a keyword's failure is about. */
function nodeOf(unit: OutputUnit): string {
  return `${parentOf(unit.keywordLocation)} ${unit.instanceLocation}`;
}

/** The location of the schema object a keyword is in. */
function parentOf(keywordLocation: string): string {
  return keywordLocation.slice(0, keywordLocation.lastIndexOf("/"));
}

function leafProblems(unit: OutputUnit, before: OutputUnit | undefined, checked: Checked): SchemaProblem[] {
  const { path, value } = locate(checked.value, unit.instanceLocation);
  const node = schemaAt(checked, parentOf(unit.keywordLocation));
  const at = (message: string) => [{ path, message }];
  switch (unit.keyword) {
    case "type": {
      const message = typeProblem(unit, checked);
      return message ? at(message) : [];
    }
    case "required": {
      const required = Array.isArray(node?.required) ? node.required.filter((name): name is string => typeof name === "string") : [];
      const given = isObject(value) ? value : {};
      return required.filter((name) => !Object.hasOwn(given, name)).map((name) => ({ path: join(path, name, false), message: "is required" }));
    }
    case "false":
      return at(isUnknownProperty(before) ? `is not a known argument${knownArguments(checked, before)}` : "is not allowed");
    case "format":
      return [];
  }
  const message = node ? keywordMessage(unit.keyword, node, value) : undefined;
  return at(message ?? unit.error);
}

function keywordMessage(keyword: string, node: Record<string, unknown>, value: unknown): string | undefined {
  const limit = node[keyword];
  switch (keyword) {
    case "const":
      return `must be ${JSON.stringify(limit)}`;
    case "enum":
      return Array.isArray(limit) ? `must be one of ${limit.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(value)}` : undefined;
    case "minLength":
      return `must be at least ${limit} characters long`;
    case "maxLength":
      return `must be at most ${limit} characters long`;
    case "pattern":
      return `must match the pattern ${limit}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `must be ${COMPARISONS[keyword]} ${limit}, got ${value}`;
    case "multipleOf":
      return `must be a multiple of ${limit}`;
    case "minItems":
      return `must have at least ${limit} items`;
    case "maxItems":
      return `must have at most ${limit} items`;
    case "minProperties":
      return `must have at least ${limit} properties`;
    case "maxProperties":
      return `must have at most ${limit} properties`;
    case "uniqueItems":
      return "must not contain duplicate items";
    case "not":
      return "is a value that is not allowed here";
    default:
      return undefined;
  }
}

const COMPARISONS: Record<string, string> = { minimum: ">=", maximum: "<=", exclusiveMinimum: ">", exclusiveMaximum: "<" };

function typeProblem(unit: OutputUnit, checked: Checked): string | undefined {
  const { value } = locate(checked.value, unit.instanceLocation);
  const node = schemaAt(checked, parentOf(unit.keywordLocation));
  if (node?.nullable === true && value === null) return undefined;
  const declared = node?.type;
  const types = typeof declared === "string" ? [declared] : Array.isArray(declared) ? declared.filter((t): t is string => typeof t === "string") : [];
  return types.length ? `must be ${types.map(article).join(" or ")}, got ${describe(value)}` : unit.error;
}

/**
 * anyOf and oneOf pass when any alternative fits (overlapping alternatives are common in real
 * specs, and refusing a call that fits two of them would only confuse the model); when none does,
 * the closest is told. `contains` is told the same way, for the item that came closest.
 */
function alternativesProblem(unit: OutputUnit, checked: Checked): SchemaProblem[] {
  const { path, value } = locate(checked.value, unit.instanceLocation);
  const node = schemaAt(checked, unit.keywordLocation);
  const attempts =
    unit.keyword === "contains"
      ? (Array.isArray(value) ? value : []).map((item, index) => attempt(checked, item, node, `${unit.instanceLocation}/${index}`, unit.keywordLocation))
      : (Array.isArray(node) ? node : []).map((option, index) => attempt(checked, value, option, unit.instanceLocation, `${unit.keywordLocation}/${index}`));
  if (attempts.some((problems) => problems.length === 0)) return [];
  const wanted = unit.keyword === "contains" ? "must contain an item of the required form" : "does not match any allowed form";
  // An alternative of the right type whose details are off is a better hint than one of another type.
  const distance = (problems: SchemaProblem[]) => problems.length + (problems.some((p) => p.path === path && p.message.startsWith("must be")) ? 100 : 0);
  const closest = attempts.reduce<SchemaProblem[] | undefined>((best, problems) => (best === undefined || distance(problems) < distance(best) ? problems : best), undefined);
  return [{ path, message: closest ? `${wanted} (closest: ${describeProblems(closest)})` : wanted }];
}

function attempt(checked: Checked, value: unknown, schema: unknown, instanceLocation: string, schemaLocation: string): SchemaProblem[] {
  if (typeof schema !== "boolean" && !isObject(schema)) return [];
  return problemsOf(validate(value, schema as Schema | boolean, DRAFT, checked.lookup, false, null, instanceLocation, schemaLocation).errors, checked);
}

function isUnknownProperty(unit: OutputUnit | undefined): unit is OutputUnit {
  return unit?.keyword === "additionalProperties" || unit?.keyword === "unevaluatedProperties";
}

function knownArguments(checked: Checked, unit: OutputUnit): string {
  const node = schemaAt(checked, parentOf(unit.keywordLocation));
  const known = isObject(node?.properties) ? Object.keys(node.properties) : [];
  return known.length ? ` (known: ${known.join(", ")})` : "";
}

/** The schema at a keyword location, following `$ref`s the way the library did. */
function schemaAt(checked: Checked, location: string): Record<string, unknown> | undefined {
  let node: unknown = checked.root;
  for (const segment of segmentsOf(location)) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = segment === "$ref" && isObject(node) ? checked.lookup[String(node.__absolute_ref__ ?? node.$ref)] : (node as Record<string, unknown>)[segment];
  }
  return isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>) : undefined;
}

/** The value at an instance location, and its path as the problems name it. */
function locate(root: unknown, location: string): { path: string; value: unknown } {
  let path = "";
  let value = root;
  for (const segment of segmentsOf(location)) {
    path = join(path, segment, Array.isArray(value));
    value = isObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return { path, value };
}

/** The segments of a location as the library writes it: `#`, then a JSON pointer passed through `encodeURI`. */
function segmentsOf(location: string): string[] {
  return location
    .split("/")
    .slice(1)
    .map((segment) => decodeURI(segment.replace(/%23/g, "#")).replace(/~1/g, "/").replace(/~0/g, "~"));
}

function join(path: string, segment: string, index: boolean): string {
  if (index) return `${path}[${segment}]`;
  const key = /^[A-Za-z_$][\w$-]*$/.test(segment) ? segment : JSON.stringify(segment);
  return path ? `${path}.${key}` : key;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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
