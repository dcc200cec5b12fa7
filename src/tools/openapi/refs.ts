/**
 * Local `$ref`s (`#/components/...`) in an OpenAPI document. Parameters and request bodies are
 * followed one level (`deref`); schemas are resolved all the way down (`resolveSchema`), with a
 * recursive reference cut where it repeats (into a schema that accepts anything: a dangling
 * `$ref` would make providers reject the tool), so self-referencing schemas (trees, linked
 * lists) still give a finite schema. References to
 * other documents are refused with the reference in the message.
 */
import { isJsonObject, type JsonObject } from "../json";
import { ToolServiceError } from "../service";
import type { OpenApiDocument } from "./document";

/** The value a `#/a/b` JSON pointer names. */
export function resolvePointer(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith("#")) {
    throw new ToolServiceError(`The OpenAPI document refers to another document (${ref}); only local "#/..." references are supported.`);
  }
  const tokens = ref === "#" ? [] : ref.slice(2).split("/").map((t) => decodeURIComponent(t).replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: unknown = doc;
  for (const token of tokens) {
    if (typeof node !== "object" || node === null || !(token in node)) throw new ToolServiceError(`The OpenAPI document has a broken reference: ${ref}`);
    node = (node as JsonObject)[token];
  }
  return node;
}

/** Follows `$ref`s until an object that is not a reference (parameters, request bodies, path items). */
export function deref(doc: OpenApiDocument, value: unknown): JsonObject | undefined {
  const seen = new Set<string>();
  let node = value;
  while (isJsonObject(node) && typeof node.$ref === "string") {
    if (seen.has(node.$ref)) throw new ToolServiceError(`The OpenAPI document has a reference cycle at ${node.$ref}`);
    seen.add(node.$ref);
    node = resolvePointer(doc, node.$ref);
  }
  return isJsonObject(node) ? node : undefined;
}

/** A copy of `schema` with every local `$ref` replaced by what it names. */
export function resolveSchema(doc: OpenApiDocument, schema: unknown, stack: readonly string[] = []): unknown {
  if (Array.isArray(schema)) return schema.map((item) => resolveSchema(doc, item, stack));
  if (!isJsonObject(schema)) return schema;
  const { $ref, ...siblings } = schema;
  if (typeof $ref === "string") {
    if (stack.includes($ref)) return { description: `(recursive: the same shape as ${$ref.split("/").pop()})` };
    const target = resolveSchema(doc, resolvePointer(doc, $ref), [...stack, $ref]);
    const rest = resolveSchema(doc, siblings, stack) as JsonObject;
    // OpenAPI 3.1 allows keywords beside $ref (a description, say); they refine the target.
    return isJsonObject(target) ? { ...target, ...rest } : target;
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, resolveSchema(doc, value, stack)]));
}
