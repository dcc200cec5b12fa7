/**
 * OpenAPI schemas (after `$ref` resolution) as the plain JSON Schema 2020-12 tools are offered
 * with. 3.0's dialect is translated (`nullable` becomes a `"null"` type, boolean
 * `exclusiveMinimum`/`exclusiveMaximum` become numbers) and OpenAPI-only keywords that mean
 * nothing to a model or a validator (`xml`, `example`, `discriminator`, …) are dropped.
 */
import { isJsonObject, type JsonObject } from "../json";
import type { OpenApiVersion } from "./document";

const DROPPED = new Set(["xml", "example", "examples", "externalDocs", "discriminator", "deprecated", "readOnly", "writeOnly", "nullable", "$schema", "$id", "$comment"]);
const SCHEMA_MAPS = ["properties", "patternProperties", "$defs"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMA_VALUES = ["items", "additionalProperties", "not", "contains", "propertyNames"];

export function toJsonSchema(schema: unknown, version: OpenApiVersion): unknown {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const source = schema as JsonObject;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (DROPPED.has(key)) continue;
    if (SCHEMA_MAPS.includes(key) && isJsonObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, toJsonSchema(item, version)]));
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((item) => toJsonSchema(item, version));
    } else if (SCHEMA_VALUES.includes(key)) {
      out[key] = toJsonSchema(value, version);
    } else {
      out[key] = value;
    }
  }
  return version === "3.0" ? fromDialect30(source, out) : out;
}

function fromDialect30(source: JsonObject, out: JsonObject): JsonObject {
  for (const [flag, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]] as const) {
    if (typeof source[flag] !== "boolean") continue;
    delete out[flag];
    if (source[flag] === true && typeof source[bound] === "number") {
      out[flag] = source[bound];
      delete out[bound];
    }
  }
  if (source.nullable !== true) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === "string") return { ...out, type: [out.type, "null"] };
  if (Array.isArray(out.type)) return out.type.includes("null") ? out : { ...out, type: [...out.type, "null"] };
  return { anyOf: [out, { type: "null" }] };
}
