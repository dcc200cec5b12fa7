/**
 * The sandbox API as TypeScript declarations, for the model that writes code-mode programs: the
 * globals every program gets (declared in sandbox-globals.ts) and the granted tools, typed from
 * their JSON Schemas with their descriptions as doc comments, in the shape the sandbox runtime
 * builds them — `tools.<service>.<operation>(args)` for a name `<service>__<operation>`,
 * `tools.<name>(args)` otherwise, and `callTool(name, args)` for all. Declarations only
 * describe: the grant and the capability host decide what a call may do.
 */
import { SANDBOX_GLOBALS } from "./sandbox-globals-text";
import type { ToolSpec } from "./chat";

/** Schemas nested deeper than this (or `$ref` cycles) are declared as `unknown`. */
const MAX_DEPTH = 8;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

type Schema = Record<string, unknown>;

/** Lines a domain contract adds to an operation's doc comment, by tool name. */
export type ToolNotes = Readonly<Record<string, readonly string[]>>;

/** What a program can call: the globals, then the granted tools (none is a valid grant). */
export function sandboxTypes(tools: readonly ToolSpec[], notes: ToolNotes = {}): string {
  return [SANDBOX_GLOBALS, ...(tools.length > 0 ? [toolTypes(tools, notes)] : [])].join("\n\n");
}

/** `declare const tools` and `declare function callTool` for the granted tools. */
export function toolTypes(tools: readonly ToolSpec[], notes: ToolNotes = {}): string {
  const top: string[] = [];
  const services = new Map<string, string[]>();
  for (const tool of tools) {
    const split = splitToolName(tool.name);
    if (!split) {
      top.push(toolMethod(tool.name, tool, "  ", notes[tool.name]));
      continue;
    }
    const members = services.get(split.service) ?? [];
    members.push(toolMethod(split.operation, tool, "    ", notes[tool.name]));
    services.set(split.service, members);
  }
  for (const [service, members] of services) top.push(`  ${propertyKey(service)}: {\n${members.join("\n")}\n  };`);
  const names = tools.map((tool) => JSON.stringify(tool.name)).join(" | ");
  return [
    "/** The granted tools. A call resolves to the tool's result, or to { error } when it failed; it never throws. */",
    `declare const tools: {\n${top.join("\n")}\n};`,
    "",
    "/** Calls a granted tool by its full name, e.g. callTool(\"weather__current\", { city: \"Oslo\" }); same result as tools.* */",
    `declare function callTool(name: ${names}, args: object): Promise<unknown>;`,
  ].join("\n");
}

/** The TypeScript type a JSON Schema describes, as one line or a block indented by `indent`. */
export function schemaType(schema: unknown, indent = ""): string {
  return typeOf(schema, { indent, root: schema, depth: 0 }).text;
}

/**
 * `service__operation` → service and operation, the split the sandbox runtime's `tools` object
 * makes (kept in step with it by hand: the runtime runs in the isolate and imports nothing).
 */
function splitToolName(name: string): { service: string; operation: string } | undefined {
  const cut = name.indexOf("__");
  if (cut <= 0 || cut >= name.length - 2) return undefined;
  return { service: name.slice(0, cut), operation: name.slice(cut + 2) };
}

function toolMethod(key: string, tool: ToolSpec, indent: string, notes: readonly string[] = []): string {
  const params = isSchema(tool.parameters) ? tool.parameters : {};
  const required = Array.isArray(params.required) && params.required.length > 0;
  const optional = required || !isObjectSchema(params) ? "" : "?";
  const doc = [tool.description?.trim(), ...notes].filter(Boolean).join("\n");
  return `${docComment(doc || undefined, indent)}${indent}${propertyKey(key)}(args${optional}: ${schemaType(params, indent)}): Promise<unknown>;`;
}

/** A rendered type, with the operator at its top level so composites know when to parenthesise. */
interface TsType {
  text: string;
  operator?: "|" | "&";
}

interface Where {
  indent: string;
  /** The whole schema, for local `$ref`s. */
  root: unknown;
  depth: number;
}

const UNKNOWN: TsType = { text: "unknown" };

function typeOf(schema: unknown, where: Where): TsType {
  if (schema === true || schema === undefined) return UNKNOWN;
  if (schema === false) return { text: "never" };
  if (!isSchema(schema) || where.depth > MAX_DEPTH) return UNKNOWN;
  const type = baseType(schema, where);
  return schema.nullable === true && type !== UNKNOWN ? union([type, { text: "null" }]) : type;
}

function baseType(schema: Schema, where: Where): TsType {
  const deeper = { ...where, depth: where.depth + 1 };
  if (typeof schema.$ref === "string") return typeOf(resolveRef(schema.$ref, where.root), deeper);
  if ("const" in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.length > 0 ? union(schema.enum.map(literal)) : { text: "never" };
  for (const keyword of ["anyOf", "oneOf"] as const) {
    const parts = schema[keyword];
    if (Array.isArray(parts) && parts.length > 0) return union(parts.map((part) => typeOf(part, deeper)));
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return intersection(schema.allOf.map((part) => typeOf(part, deeper)));
  const declared = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t): t is string => typeof t === "string");
  if (declared.length === 0) return isObjectSchema(schema) ? objectType(schema, where) : UNKNOWN;
  return union(declared.map((t) => namedType(t, schema, where)));
}

function namedType(type: string, schema: Schema, where: Where): TsType {
  switch (type) {
    case "string":
    case "boolean":
    case "null":
      return { text: type };
    case "number":
    case "integer":
      return { text: "number" };
    case "array":
      return arrayType(schema, where);
    case "object":
      return objectType(schema, where);
    default:
      return UNKNOWN;
  }
}

function arrayType(schema: Schema, where: Where): TsType {
  const deeper = { ...where, depth: where.depth + 1 };
  const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : undefined;
  if (tuple) return { text: `[${tuple.map((item) => typeOf(item, deeper).text).join(", ")}]` };
  const item = typeOf(schema.items, deeper);
  return { text: item.operator ? `(${item.text})[]` : `${item.text}[]` };
}

function objectType(schema: Schema, where: Where): TsType {
  const properties = isSchema(schema.properties) ? Object.entries(schema.properties) : [];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const extra = schema.additionalProperties;
  const inner = { ...where, indent: `${where.indent}  `, depth: where.depth + 1 };
  const lines = properties.map(([name, property]) => {
    const mark = required.has(name) ? "" : "?";
    return `${docComment(describe(property), inner.indent)}${inner.indent}${propertyKey(name)}${mark}: ${typeOf(property, inner).text};`;
  });
  if (extra !== undefined && extra !== false) {
    lines.push(`${inner.indent}[key: string]: ${typeOf(extra, inner).text};`);
  } else if (properties.length === 0) {
    return { text: extra === false ? "{}" : "Record<string, unknown>" };
  }
  return { text: `{\n${lines.join("\n")}\n${where.indent}}` };
}

function union(types: TsType[]): TsType {
  const texts = [...new Set(types.map((t) => t.text))];
  return texts.length === 1 ? types.find((t) => t.text === texts[0])! : { text: texts.join(" | "), operator: "|" };
}

function intersection(types: TsType[]): TsType {
  const texts = [...new Set(types.map((t) => (t.operator === "|" ? `(${t.text})` : t.text)))];
  return texts.length === 1 ? types[0]! : { text: texts.join(" & "), operator: "&" };
}

/** A property's doc text: its description, plus its default and format when given. */
function describe(schema: unknown): string | undefined {
  if (!isSchema(schema)) return undefined;
  const notes = [
    typeof schema.description === "string" ? schema.description.trim() : "",
    schema.default !== undefined ? `Default: ${JSON.stringify(schema.default)}.` : "",
    typeof schema.format === "string" ? `Format: ${schema.format}.` : "",
  ].filter(Boolean);
  return notes.length > 0 ? notes.join(" ") : undefined;
}

function docComment(text: string | undefined, indent: string): string {
  const clean = text?.trim().replaceAll("*/", "*\\/");
  if (!clean) return "";
  const lines = clean.split(/\r?\n/);
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((line) => `${indent} * ${line}`.trimEnd()).join("\n")}\n${indent} */\n`;
}

/** A local reference (`#/$defs/x`, `#/definitions/x`, …); anything else is unknown. */
function resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split("/").filter(Boolean)) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (!isSchema(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isObjectSchema(schema: Schema): boolean {
  return schema.type === "object" || isSchema(schema.properties) || schema.additionalProperties !== undefined;
}

function literal(value: unknown): TsType {
  return { text: JSON.stringify(value) ?? "unknown" };
}

function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}
