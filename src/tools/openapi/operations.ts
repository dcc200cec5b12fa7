/**
 * The operations of an OpenAPI document as tools. Each operation is named by its
 * `operationId`, else its `x-tool-name`, else `<last path segment>_<method>`; its path, query
 * and header parameters and its request body become one JSON Schema (type object) for the
 * model. A JSON object body is merged into the top level when its property names do not clash
 * with a parameter's, and is otherwise one `body` argument. Parameters that credentials fill
 * (named in `hidden`) are left out: the model never sees nor sets them.
 */
import type { CredentialNames } from "../credentials";
import { isJsonObject, type JsonObject } from "../json";
import type { HttpBinding, HttpParam } from "../service";
import type { JsonSchema } from "../../engine/json-schema";
import { versionOf, type OpenApiDocument, type OpenApiVersion } from "./document";
import { deref, resolveSchema } from "./refs";
import { toJsonSchema } from "./schema";

export interface DiscoveredOperation {
  operation: string;
  description?: string;
  parameters: JsonObject;
  returns?: JsonSchema;
  http: HttpBinding;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const LOCATIONS = new Set(["path", "query", "header"]);
/** OpenAI rejects longer function descriptions. */
const MAX_DESCRIPTION = 1024;

export function operationsOf(doc: OpenApiDocument, hidden: CredentialNames): DiscoveredOperation[] {
  const version = versionOf(doc);
  const paths = (doc.paths ?? {}) as JsonObject;
  return Object.entries(paths).flatMap(([path, value]) => {
    const item = deref(doc, value);
    if (!item) return [];
    return METHODS.flatMap((method) => {
      const operation = deref(doc, item[method]);
      return operation ? [describeOperation(doc, version, hidden, path, method, item, operation)] : [];
    });
  });
}

function describeOperation(
  doc: OpenApiDocument,
  version: OpenApiVersion,
  hidden: CredentialNames,
  path: string,
  method: string,
  item: JsonObject,
  operation: JsonObject,
): DiscoveredOperation {
  const schema = (value: unknown) => toJsonSchema(resolveSchema(doc, value), version) as JsonObject;
  const properties: JsonObject = {};
  const required: string[] = [];
  const params: HttpParam[] = [];

  for (const param of parametersOf(doc, item, operation)) {
    const name = String(param.name);
    const location = param.in as HttpParam["in"];
    if (isHidden(hidden, location, name)) continue;
    const arg = name in properties ? `${name}_${location}` : name;
    const described = { ...schema(parameterSchema(param)) };
    if (typeof param.description === "string" && described.description === undefined) described.description = param.description;
    properties[arg] = described;
    if (param.required === true || location === "path") required.push(arg);
    params.push({ arg, name, in: location });
  }

  const body = requestBodyOf(doc, operation);
  let binding: HttpBinding["body"];
  let additional: unknown = false;
  if (body) {
    const bodySchema = withoutHidden(schema(body.schema), hidden.inject.body);
    const bodyProperties = isJsonObject(bodySchema.properties) ? bodySchema.properties : undefined;
    const mergeable = body.encoding !== "raw" && bodyProperties !== undefined && Object.keys(bodyProperties).every((key) => !(key in properties));
    if (mergeable) {
      Object.assign(properties, bodyProperties);
      if (body.required && Array.isArray(bodySchema.required)) required.push(...bodySchema.required.filter((r): r is string => typeof r === "string"));
      additional = bodySchema.additionalProperties ?? true;
      binding = { mode: "merged", content_type: body.contentType, encoding: body.encoding };
    } else {
      const arg = "body" in properties ? "request_body" : "body";
      properties[arg] = body.encoding === "raw" ? { type: "string", description: `The request body (${body.contentType}).` } : bodySchema;
      if (body.required) required.push(arg);
      binding = { mode: "property", arg, content_type: body.contentType, encoding: body.encoding };
    }
  }

  const returns = successSchema(doc, operation);
  const description = [operation.summary, operation.description].filter((t): t is string => typeof t === "string" && t.trim() !== "").join("\n\n");
  return {
    operation: operationName(path, method, operation),
    ...(description ? { description: description.slice(0, MAX_DESCRIPTION) } : {}),
    parameters: { type: "object", properties, ...(required.length ? { required: [...new Set(required)] } : {}), additionalProperties: additional },
    ...(returns === undefined ? {} : { returns: toJsonSchema(resolveSchema(doc, returns), version) as JsonSchema }),
    http: { method: method.toUpperCase(), path, params, ...(binding ? { body: binding } : {}) },
  };
}

export function operationName(path: string, method: string, operation: JsonObject): string {
  if (typeof operation.operationId === "string" && operation.operationId.trim() !== "") return operation.operationId.trim();
  const named = operation["x-tool-name"];
  if (typeof named === "string" && named.trim() !== "") return named.trim();
  const segments = path.split("/").filter((s) => s !== "").map((s) => s.replace(/[{}]/g, ""));
  return `${segments.at(-1) ?? "root"}_${method}`;
}

/** Path-level parameters, overridden by the operation's own of the same name and location. */
function parametersOf(doc: OpenApiDocument, item: JsonObject, operation: JsonObject): JsonObject[] {
  const all = [...asArray(item.parameters), ...asArray(operation.parameters)]
    .map((p) => deref(doc, p))
    .filter((p): p is JsonObject => p !== undefined && typeof p.name === "string" && typeof p.in === "string" && LOCATIONS.has(p.in));
  const byKey = new Map(all.map((p) => [`${p.in}:${p.name}`, p]));
  return [...byKey.values()];
}

function parameterSchema(param: JsonObject): unknown {
  if (param.schema !== undefined) return param.schema;
  const content = isJsonObject(param.content) ? Object.values(param.content)[0] : undefined;
  return isJsonObject(content) ? content.schema : {};
}

function isHidden(hidden: CredentialNames, location: HttpParam["in"], name: string): boolean {
  if (location === "header") return hidden.headers.some((h) => h.toLowerCase() === name.toLowerCase());
  return hidden.inject[location].includes(name);
}

function withoutHidden(schema: JsonObject, names: string[]): JsonObject {
  if (names.length === 0 || !isJsonObject(schema.properties)) return schema;
  const properties = Object.fromEntries(Object.entries(schema.properties).filter(([key]) => !names.includes(key)));
  const required = Array.isArray(schema.required) ? schema.required.filter((r) => !names.includes(String(r))) : undefined;
  return { ...schema, properties, ...(required ? { required } : {}) };
}

interface Body {
  contentType: string;
  encoding: "json" | "form" | "raw";
  schema: unknown;
  required: boolean;
}

function requestBodyOf(doc: OpenApiDocument, operation: JsonObject): Body | undefined {
  const body = deref(doc, operation.requestBody);
  if (!body || !isJsonObject(body.content)) return undefined;
  const types = Object.keys(body.content);
  const contentType = types.find(isJson) ?? types.find((t) => t === "application/x-www-form-urlencoded") ?? types[0];
  if (contentType === undefined) return undefined;
  const media = body.content[contentType];
  return {
    contentType,
    encoding: isJson(contentType) ? "json" : contentType === "application/x-www-form-urlencoded" ? "form" : "raw",
    schema: isJsonObject(media) ? (media.schema ?? {}) : {},
    required: body.required === true,
  };
}

/** The schema of the first documented JSON success (2xx) response. */
function successSchema(doc: OpenApiDocument, operation: JsonObject): unknown {
  const responses = isJsonObject(operation.responses) ? operation.responses : {};
  const codes = Object.keys(responses).filter((code) => /^2(\d\d|XX)$/i.test(code)).sort();
  for (const code of codes) {
    const response = deref(doc, responses[code]);
    const content = response && isJsonObject(response.content) ? response.content : undefined;
    const type = content ? Object.keys(content).find(isJson) : undefined;
    const media = content && type ? content[type] : undefined;
    if (isJsonObject(media) && media.schema !== undefined) return media.schema;
  }
  return undefined;
}

function isJson(contentType: string): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
