/**
 * TypeScript declarations of the granted tools, for the code-mode prompt: the model reads
 * `tools.<service>.<operation>(args)` signatures with argument and result types and doc
 * comments generated from the tools' JSON Schemas, instead of a list of JSON tool specs.
 */
import type { ToolSpec } from "../engine/types";
import type { JsonSchema } from "./validation";

export interface TypedTool {
  spec: ToolSpec;
  returns?: JsonSchema;
}

type Schema = { [keyword: string]: unknown };

/** Deeper schemas are summarised as `unknown`: the prompt is not the place for them. */
const MAX_DEPTH = 6;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function toolTypes(tools: TypedTool[]): string {
  const top: string[] = [];
  const services = new Map<string, string[]>();
  for (const tool of tools) {
    const cut = tool.spec.name.indexOf("__");
    if (cut > 0 && cut < tool.spec.name.length - 2) {
      const service = tool.spec.name.slice(0, cut);
      const methods = services.get(service) ?? [];
      methods.push(method(tool.spec.name.slice(cut + 2), tool, "    "));
      services.set(service, methods);
    } else {
      top.push(method(tool.spec.name, tool, "  "));
    }
  }
  const blocks = [...[...services].map(([service, methods]) => `  ${key(service)}: {\n${methods.join("\n")}\n  };`), ...top];
  const names = tools.map((t) => JSON.stringify(t.spec.name));
  return [
    "/** Every call resolves to the tool's result, or to `{ error: string }` when it fails; none throws. */",
    `declare const tools: {\n${blocks.join("\n")}\n};`,
    "/** The same tools by their full names. */",
    `declare function callTool(name: ${names.length ? names.join(" | ") : "never"}, args?: object): Promise<unknown>;`,
  ].join("\n");
}

function method(name: string, tool: TypedTool, indent: string): string {
  const params = tool.spec.parameters as Schema;
  const optional = !Array.isArray(params.required) || params.required.length === 0;
  const args = typeOf(params, indent, 0);
  const result = tool.returns === undefined ? "unknown" : typeOf(tool.returns, indent, 0);
  return `${doc(tool.spec.description, indent)}${indent}${key(name)}(args${optional ? "?" : ""}: ${args}): Promise<${result}>;`;
}

function typeOf(schema: JsonSchema | unknown, indent: string, depth: number): string {
  if (typeof schema !== "object" || schema === null || depth > MAX_DEPTH) return "unknown";
  const s = schema as Schema;
  if ("const" in s) return literal(s.const);
  if (Array.isArray(s.enum)) return s.enum.map(literal).join(" | ") || "never";
  for (const [keyword, joiner] of [["anyOf", " | "], ["oneOf", " | "], ["allOf", " & "]] as const) {
    const parts = s[keyword];
    if (Array.isArray(parts) && parts.length > 0) return parts.map((p) => wrap(typeOf(p, indent, depth + 1))).join(joiner);
  }
  if (Array.isArray(s.type)) return s.type.map((t) => typeOf({ ...s, type: t }, indent, depth)).join(" | ");
  switch (s.type) {
    case "string":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return `${wrap(typeOf(s.items ?? {}, indent, depth + 1))}[]`;
    case "object":
      return objectType(s, indent, depth);
    default:
      return s.properties !== undefined ? objectType(s, indent, depth) : "unknown";
  }
}

function objectType(s: Schema, indent: string, depth: number): string {
  const properties = typeof s.properties === "object" && s.properties !== null ? (s.properties as Record<string, Schema>) : {};
  const required = new Set(Array.isArray(s.required) ? s.required : []);
  const inner = `${indent}  `;
  const lines = Object.entries(properties).map(
    ([name, prop]) => `${doc(typeof prop?.description === "string" ? prop.description : undefined, inner)}${inner}${key(name)}${required.has(name) ? "" : "?"}: ${typeOf(prop, inner, depth + 1)};`,
  );
  const extra = s.additionalProperties;
  if (typeof extra === "object" && extra !== null) lines.push(`${inner}[key: string]: ${typeOf(extra, inner, depth + 1)};`);
  if (lines.length === 0) return extra === false ? "{}" : "Record<string, unknown>";
  return `{\n${lines.join("\n")}\n${indent}}`;
}

function doc(text: string | undefined, indent: string): string {
  if (!text?.trim()) return "";
  const lines = text.trim().replace(/\*\//g, "*\\/").split("\n");
  return lines.length === 1 ? `${indent}/** ${lines[0]} */\n` : `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join("\n")}\n${indent} */\n`;
}

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

function literal(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}

/** Parenthesises a union or intersection (outside any braces) so `[]` or `|` binds right. */
function wrap(type: string): string {
  let depth = 0;
  for (const char of type) {
    if (char === "{" || char === "(") depth++;
    else if (char === "}" || char === ")") depth--;
    else if (depth === 0 && (char === "|" || char === "&")) return `(${type})`;
  }
  return type;
}
