/**
 * Turns chain text or an already-parsed JSON value into a normalised `Chain`. Text is JSONC
 * (`//` and `/* *\/` comments, trailing commas); syntax errors name their line and column.
 * Shape errors name the JSON path of the offending value (`tasks[2].transition.branches[0].goto`)
 * in a sentence a person can act on. Keys the format does not know are reported and ignored.
 * What the shape cannot tell — dangling gotos, unreachable tasks — is validate.ts's job.
 */

import { parse as parseJsonc, printParseErrorCode, visit, type ParseError } from "jsonc-parser";
import type { z } from "zod";
import { ChainSchema, FORMAT_LEVELS, closestMatch, type FormatLevel } from "./schema";
import type { Chain } from "./chain";
import type { Problem } from "./errors";
import { FORBIDDEN_KEY, forbiddenKeyMessage, forbiddenKeyPath, tooDeepAt, tooDeepMessage, type JsonPath } from "./json-text";

export interface ChainCheck {
  chain?: Chain;
  problems: Problem[];
  /**
   * When the only shape errors are unknown handler or operator names, the chain with those
   * names replaced by placeholders, so the remaining rules can still run and every problem
   * is reported at once. Never executable: `chain` stays undefined.
   */
  draft?: Chain;
}

type Segment = string | number;

export function parseChainText(text: string): ChainCheck {
  if (text.trim() === "") {
    return { problems: [error("", `the chain text is empty: expected a JSON object with "id" and "tasks"`)] };
  }
  const parsed = parseBoundedJsonc(text);
  return parsed.ok ? parseChain(parsed.value) : { problems: parsed.problems };
}

/**
 * JSONC text (chains, contracts) within the bounds of untrusted JSON: no deeper than it may
 * nest, no `__proto__` key; otherwise the problems, with their line and column or path.
 */
export function parseBoundedJsonc(text: string): { ok: true; value: unknown } | { ok: false; problems: Problem[] } {
  const tooDeep = tooDeepAt(text, true);
  if (tooDeep !== undefined) {
    const { line, column } = lineAndColumn(text, tooDeep);
    return { ok: false, problems: [error("", `${tooDeepMessage(tooDeep)}, line ${line}, column ${column}`)] };
  }
  const forbidden = forbiddenKeyInText(text);
  if (forbidden) return { ok: false, problems: [error(formatPath(forbidden), forbiddenKeyMessage())] };
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  return errors.length > 0 ? { ok: false, problems: syntaxProblems(text, errors) } : { ok: true, value };
}

/** The JSONC parser stores properties by assignment, so a `__proto__` key is found in the text, before it becomes a prototype. */
function forbiddenKeyInText(text: string): JsonPath | undefined {
  let found: JsonPath | undefined;
  visit(text, {
    onObjectProperty: (name, _offset, _length, _line, _column, pathSupplier) => {
      if (name === FORBIDDEN_KEY && !found) found = [...pathSupplier(), name];
    },
  });
  return found;
}

/** A parsed value (a request body) is checked again here, for callers that did not parse it themselves. */
export function parseChain(value: unknown): ChainCheck {
  const forbidden = forbiddenKeyPath(value);
  if (forbidden) return { problems: [error(formatPath(forbidden), forbiddenKeyMessage())] };
  const problems = ignoredFieldProblems(value, FORMAT_LEVELS.chain, []);
  const result = ChainSchema.safeParse(value, { error: describeIssue });
  if (!result.success) {
    problems.push(...result.error.issues.map((issue) => error(formatPath(issue.path), subjectOf(value, issue.path) + issue.message)));
    return { problems, draft: draftWithPlaceholders(value, result.error.issues.map((issue) => issue.path)) };
  }
  return { chain: result.data, problems };
}

/** Placeholders that keep the graph intact: a handler with no requirements, a non-default operator. */
const PLACEHOLDERS: Record<string, string> = { handler: "noop", type: "noop", operator: "equals" };

function draftWithPlaceholders(value: unknown, paths: ReadonlyArray<readonly PropertyKey[]>): Chain | undefined {
  if (!paths.every((path) => typeof path.at(-1) === "string" && Object.hasOwn(PLACEHOLDERS, String(path.at(-1))))) return undefined;
  const copy: unknown = structuredClone(value);
  for (const path of paths) {
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (isObject(node) || Array.isArray(node) ? (node as Record<PropertyKey, unknown>)[key] : undefined), copy);
    const key = String(path.at(-1));
    if (isObject(parent)) parent[key] = PLACEHOLDERS[key];
  }
  const retry = ChainSchema.safeParse(copy);
  return retry.success ? retry.data : undefined;
}

/** `tasks[2].transition.branches[0].goto` from path segments; odd keys are quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === "number") return `[${segment}]`;
      const key = String(segment);
      if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `[${JSON.stringify(key)}]`;
      return index === 0 ? key : `.${key}`;
    })
    .join("");
}

function error(path: string, message: string): Problem {
  return { severity: "error", path, message };
}

// -------------------------------------------------------------------------------------------
// Syntax
// -------------------------------------------------------------------------------------------

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "this is not a valid number",
  PropertyNameExpected: "expected a property name in double quotes",
  ValueExpected: "expected a value",
  ColonExpected: `expected ":" after the property name`,
  CommaExpected: `expected "," between entries`,
  CloseBraceExpected: `expected "}" to close the object`,
  CloseBracketExpected: `expected "]" to close the list`,
  EndOfFileExpected: "unexpected text after the end of the document",
  InvalidCommentToken: "invalid comment",
  UnexpectedEndOfComment: `comment is not closed with "*/"`,
  UnexpectedEndOfString: "text is not closed with a double quote",
  UnexpectedEndOfNumber: "number ends too early",
  InvalidUnicode: "invalid unicode escape",
  InvalidEscapeCharacter: "invalid escape character",
  InvalidCharacter: "invalid character in text (control characters must be escaped)",
};

export function syntaxProblems(text: string, errors: ParseError[]): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const { error: code, offset } of errors) {
    const { line, column } = lineAndColumn(text, offset);
    const where = `${line}:${column}`;
    // The parser recovers and often reports one mistake several times at the same spot.
    if (seen.has(where)) continue;
    seen.add(where);
    const name = printParseErrorCode(code);
    problems.push(error("", `syntax error at ${where} (line ${line}, column ${column}): ${SYNTAX_MESSAGES[name] ?? name}`));
  }
  return problems;
}

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
}

// -------------------------------------------------------------------------------------------
// Shape
// -------------------------------------------------------------------------------------------

const EXPECTED: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  record: "an object",
};

/** The user-facing sentence for a generic zod issue; the schema words its own special cases. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  const path = issue.path ?? [];
  const field = `"${fieldName(path)}"`;
  switch (issue.code) {
    case "invalid_type":
      if (path.length === 0) return `a chain must be a JSON object with "id" and "tasks", not ${describeValue(issue.input)}`;
      if (issue.input === undefined) return `${field} is required`;
      return `${field} must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${describeValue(issue.input)}`;
    case "too_small":
      if (issue.origin === "string") return `${field} must not be empty`;
      if (issue.origin === "array") return `${field} needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? "y" : "ies"}`;
      return `${field} must be ${issue.inclusive ? "at least" : "greater than"} ${String(issue.minimum)}, not ${describeValue(issue.input)}`;
    case "too_big":
      return `${field} must be ${issue.inclusive ? "at most" : "less than"} ${String(issue.maximum)}, not ${describeValue(issue.input)}`;
    case "invalid_value":
      return `${field} must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}, not ${describeValue(issue.input)}`;
    default:
      return undefined;
  }
}

/** The field an issue is about, from its last key on: `goto`, `tools[1]`. */
function fieldName(path: readonly PropertyKey[]): string {
  const lastKey = path.findLastIndex((segment) => typeof segment !== "number");
  return formatPath(path.slice(Math.max(0, lastKey)));
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return value.length > 40 ? `the text "${value.slice(0, 40)}…"` : `the text "${value}"`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

/** `task "chat": ` for paths inside a task whose id is known, so messages say which task. */
function subjectOf(document: unknown, path: readonly PropertyKey[]): string {
  if (path[0] !== "tasks" || typeof path[1] !== "number") return "";
  const tasks = isObject(document) ? document.tasks : undefined;
  const task: unknown = Array.isArray(tasks) ? tasks[path[1]] : undefined;
  const id = isObject(task) ? task.id : undefined;
  return typeof id === "string" && id !== "" ? `task "${id}": ` : "";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// -------------------------------------------------------------------------------------------
// Keys the format does not know
// -------------------------------------------------------------------------------------------

/**
 * Keys the schema drops. A near-miss of a real field (`hanlder`) is an error, because the
 * author's intent would be lost silently; other unknown keys are warnings, with a hint when the
 * key is a field one level down (`model` beside `execute_config`).
 */
function ignoredFieldProblems(value: unknown, level: FormatLevel, path: Segment[], document: unknown = value): Problem[] {
  if (!isObject(value)) return [];
  const problems: Problem[] = [];
  const subject = subjectOf(document, path);
  for (const [key, child] of Object.entries(value)) {
    const at = [...path, key];
    const field = level.fields.includes(key) ? key : Object.hasOwn(level.aliases, key) ? level.aliases[key] : undefined;
    if (field === undefined) {
      const problem = unknownField(key, level);
      if (problem) problems.push({ ...problem, path: formatPath(at), message: subject + problem.message });
      continue;
    }
    if (field !== key && Object.hasOwn(value, field)) {
      problems.push({
        severity: "warning",
        path: formatPath(at),
        message: `${subject}"${key}" is another spelling of "${field}", which is also given; "${key}" is ignored`,
      });
      continue;
    }
    const nested = Object.hasOwn(level.children, field) ? level.children[field] : undefined;
    if (nested === undefined) continue;
    if (!nested.list) problems.push(...ignoredFieldProblems(child, nested.level, [...path, field], document));
    else if (Array.isArray(child)) {
      child.forEach((item, index) => problems.push(...ignoredFieldProblems(item, nested.level, [...path, field, index], document)));
    }
  }
  return problems;
}

function unknownField(key: string, level: FormatLevel): Omit<Problem, "path"> | undefined {
  const suggestion = closestMatch(key, [...level.fields, ...Object.keys(level.aliases)]);
  if (suggestion !== undefined) {
    const canonical = Object.hasOwn(level.aliases, suggestion) ? level.aliases[suggestion] : suggestion;
    return {
      severity: level.open ? "warning" : "error",
      message: `unknown field "${key}" — did you mean "${canonical}"? As written it is ignored`,
    };
  }
  const home = Object.entries(level.children).find(([, nested]) => !nested.list && nested.level.fields.includes(key));
  if (home !== undefined) {
    return { severity: "warning", message: `unknown field "${key}" — it belongs inside "${home[0]}"; as written it is ignored` };
  }
  if (level.open) return undefined;
  return { severity: "warning", message: `unknown field "${key}" is not part of ${level.name} and is ignored` };
}
