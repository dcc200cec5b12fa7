/**
 * Output templates: `{{.input}}`, `{{.previous_output}}`, `{{.<task_id>}}` and
 * `{{.<task_id>.field.sub}}` read the run input and earlier task outputs into a string (Go
 * template spacing `{{ .input }}` is accepted). Only these references are rendered; other Go
 * template actions are copied through unchanged.
 *
 * Paths walk into values as follows:
 * - objects by key and arrays by index (`{{.search.results.0.title}}`);
 * - a string holding a JSON object or array is parsed first, so fields of a model's JSON answer
 *   can be read without a separate parsing task;
 * - a chat history (what `chat_completion` outputs) has one field, `content`: the content of its
 *   last assistant message, the same text `{{.chat}}` renders to. Its `messages` remain
 *   reachable too (`{{.chat.messages.0.content}}`).
 * `input` and `previous_output` name the run input and the previous task's output, so they win
 * over tasks that happen to have those ids.
 */

import type { ChatHistory, ChatMessage } from "./chat";
import { EngineError } from "./errors";

export interface TemplateScope {
  input: unknown;
  previous_output: unknown;
  outputs: Record<string, unknown>;
}

// Task ids may contain "-" and "_"; each path segment is one identifier or index.
const SEGMENT = String.raw`[A-Za-z0-9_-]+`;
const REFERENCE = String.raw`\{\{\s*\.(${SEGMENT}(?:\.${SEGMENT})*)\s*\}\}`;
const REFERENCES = new RegExp(REFERENCE, "g");
const WHOLE_REFERENCE = new RegExp(`^${REFERENCE}$`);

const BUILT_INS = ["input", "previous_output"] as const;

/** `text` with every reference replaced by its value rendered with `stringify`. */
export function renderTemplate(text: string, scope: TemplateScope): string {
  return text.replace(REFERENCES, (_match, path: string) => stringify(resolve(path, scope)));
}

/** The roots (`input`, `previous_output` or a task id) of the references in every string inside `value`. */
export function templateRoots(value: unknown): string[] {
  if (typeof value === "string") return [...value.matchAll(REFERENCES)].map((m) => (m[1] ?? "").split(".")[0]!);
  if (Array.isArray(value)) return value.flatMap(templateRoots);
  if (isPlainObject(value)) return Object.values(value).flatMap(templateRoots);
  return [];
}

/** Whether a reference root is always available: the run input or the previous output. */
export function isBuiltInRoot(root: string): boolean {
  return (BUILT_INS as readonly string[]).includes(root);
}

/**
 * Renders every string inside `value` (objects and arrays are copied, not mutated). A string that
 * is exactly one reference, such as `"{{.generate_js}}"`, becomes the referenced value itself,
 * so an object stays an object instead of turning into JSON text.
 */
export function renderTemplateValue(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === "string") {
    const whole = WHOLE_REFERENCE.exec(value);
    return whole ? resolve(whole[1] ?? "", scope) : renderTemplate(value, scope);
  }
  if (Array.isArray(value)) return value.map((item) => renderTemplateValue(item, scope));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderTemplateValue(item, scope)]));
  }
  return value;
}

/** How a value reads inside a prompt: text as is, a chat as its last answer, data as JSON. */
export function stringify(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (isChatHistory(value)) return lastAssistantContent(value);
  return JSON.stringify(value) ?? "";
}

export function isChatHistory(value: unknown): value is ChatHistory {
  return isPlainObject(value) && value.kind === "chat" && Array.isArray(value.messages);
}

/** The text of the newest assistant message ("" when there is none or it only calls tools). */
export function lastAssistantContent(history: ChatHistory): string {
  const message = history.messages.findLast((candidate) => candidate.role === "assistant");
  return message ? messageText(message) : "";
}

/** A message's text: the string content, or its text parts joined. */
export function messageText(message: ChatMessage): string {
  const { content } = message;
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : "")).join("");
}

function resolve(path: string, scope: TemplateScope): unknown {
  const [root = "", ...fields] = path.split(".");
  let value = rootValue(root, scope);
  let walked = root;
  for (const field of fields) {
    value = readField(value, field, walked);
    walked += `.${field}`;
  }
  return value;
}

function rootValue(root: string, scope: TemplateScope): unknown {
  if (root === "input") return scope.input;
  if (root === "previous_output") return scope.previous_output;
  if (Object.hasOwn(scope.outputs, root)) return scope.outputs[root];
  const available = [...BUILT_INS, ...Object.keys(scope.outputs)].join(", ");
  throw new EngineError(
    "unknown_template_ref",
    `template {{.${root}}} refers to "${root}", which has no output yet; available: ${available}`,
  );
}

function readField(value: unknown, field: string, walked: string): unknown {
  if (isChatHistory(value) && field === "content") return lastAssistantContent(value);
  const container = typeof value === "string" ? parseJsonContainer(value) : value;
  if ((isPlainObject(container) || Array.isArray(container)) && Object.hasOwn(container, field)) {
    return (container as Record<string, unknown>)[field];
  }
  throw new EngineError(
    "unknown_template_ref",
    `template {{.${walked}.${field}}}: ${describe(container)} at "${walked}" has no field "${field}"`,
  );
}

function parseJsonContainer(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "the empty value";
  if (Array.isArray(value)) return `the list (length ${value.length})`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    return keys.length ? `the object (fields: ${keys.join(", ")})` : "the empty object";
  }
  return `the ${typeof value}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
