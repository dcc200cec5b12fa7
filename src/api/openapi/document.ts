/**
 * The OpenAPI 3.1 document of the app, built from the routes Hono really serves: every entry of
 * `app.routes` whose middleware carries a description (describe.ts) becomes one operation, under
 * the path it is mounted at, with its path parameters, query, body, answers and errors. Errors
 * every route of a kind can answer are added here, from what the description says the route
 * reads, so no route has to list them.
 */
import type { RouterRoute } from "hono/types";
import { findTargetHandler } from "hono/utils/handler";
import type { OpenAPIV3_1 } from "openapi-types";
import { errorBody } from "../errors";
import { DESCRIPTION, type DescribedMiddleware, type RouteDescription } from "./describe";
import { SchemaComponents, type JsonSchema } from "./json-schema";

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
}

const ERROR_MEANINGS: Record<number, string> = {
  400: "Invalid input; `path` names the offending field",
  401: "Missing or unknown API key",
  403: "The key's role may not do this",
  404: "Nothing by that name",
  409: "Conflicts with the current state",
  413: "Body over the size limit (`MAX_BODY_BYTES`)",
  422: "Accepted but could not be processed",
  424: "The deployment cannot supply the model or provider asked for (unknown provider or group, no key, no capable model)",
  429: "Rate limited by the LLM provider (see `Retry-After`)",
  500: "Server error (a broken configuration names the setting)",
  502: "The LLM provider failed",
  504: "The run did not finish in time; follow it at `GET /runs/{id}/events`",
};

const BEARER: OpenAPIV3_1.SecuritySchemeObject = {
  type: "http",
  scheme: "bearer",
  description: "One of the keys in `API_KEYS`.",
};

/** The described routes of an app, as `[method, OpenAPI path, description]`. */
export function describedRoutes(routes: readonly RouterRoute[]): Array<[string, string, RouteDescription]> {
  return routes.flatMap((route) => {
    const description = (findTargetHandler(route.handler) as Partial<DescribedMiddleware>)[DESCRIPTION];
    return description ? [[route.method.toLowerCase(), openapiPath(route.path), description] as [string, string, RouteDescription]] : [];
  });
}

export function openapiDocument(routes: readonly RouterRoute[], info: DocumentInfo): OpenAPIV3_1.Document {
  const components = new SchemaComponents();
  const paths: OpenAPIV3_1.PathsObject = {};
  const ids = new Set<string>();
  for (const [method, path, description] of describedRoutes(routes)) {
    const item: Record<string, OpenAPIV3_1.OperationObject> = (paths[path] ??= {}) as Record<string, OpenAPIV3_1.OperationObject>;
    const op = operation(method, path, description, components);
    if (item[method] || ids.has(op.operationId!)) throw new Error(`${method.toUpperCase()} ${path} is described twice, or its operationId ${op.operationId} is taken.`);
    ids.add(op.operationId!);
    item[method] = op;
  }
  return {
    openapi: "3.1.0",
    info,
    security: [{ bearer: [] }],
    paths,
    components: { securitySchemes: { bearer: BEARER }, schemas: components.schemas as Record<string, OpenAPIV3_1.SchemaObject> },
  };
}

/** Hono's `/runs/:id/approvals/:call_id` (a parameter may carry a `{regex}` or `?`) as `/runs/{id}/approvals/{call_id}`. */
export function openapiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, "{$1}");
}

function operation(method: string, path: string, description: RouteDescription, components: SchemaComponents): OpenAPIV3_1.OperationObject {
  const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  const parameters: OpenAPIV3_1.ParameterObject[] = [
    ...pathParams.map((name): OpenAPIV3_1.ParameterObject => ({ name, in: "path", required: true, schema: { type: "string" } })),
    ...(description.query ? objectParameters(components.convert(description.query, "input"), "query") : []),
    ...(description.headers ? objectParameters(components.convert(description.headers, "input"), "header") : []),
  ];
  const op: OpenAPIV3_1.OperationObject = {
    operationId: operationId(method, path),
    summary: description.summary,
    ...(description.description ? { description: description.description } : {}),
    tags: [description.tag ?? tagOf(path)],
    ...(parameters.length ? { parameters } : {}),
    responses: { ...successes(description, components), ...errors(description, pathParams.length > 0, components) },
  };
  if (description.body) {
    op.requestBody = { required: true, content: { "application/json": { schema: components.convert(description.body, "input") } } };
  }
  if (description.auth === "none") op.security = [];
  if (description.auth === "optional") op.security = [{ bearer: [] }, {}];
  return op;
}

function objectParameters(object: JsonSchema, place: "query" | "header"): OpenAPIV3_1.ParameterObject[] {
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: place,
    required: required.has(name),
    schema,
    ...(typeof schema.description === "string" ? { description: schema.description } : {}),
  }));
}

function successes(description: RouteDescription, components: SchemaComponents): OpenAPIV3_1.ResponsesObject {
  return Object.fromEntries(
    Object.entries(description.responses).map(([status, reply]) => {
      const mediaType = reply.mediaType ?? "application/json";
      const content = reply.schema ? { [mediaType]: { schema: components.convert(reply.schema, "output") } } : reply.mediaType ? { [mediaType]: {} } : undefined;
      return [status, { description: reply.description, ...(content ? { content } : {}) }];
    }),
  );
}

function errors(description: RouteDescription, hasPathParams: boolean, components: SchemaComponents): OpenAPIV3_1.ResponsesObject {
  const statuses = new Set(description.errors ?? []);
  if (description.auth !== "none") statuses.add(401);
  if (description.query || description.body) statuses.add(400);
  if (description.body) statuses.add(413);
  if (hasPathParams) statuses.add(404);
  const schema = components.convert(description.errorSchema ?? errorBody, "output");
  return Object.fromEntries(
    [...statuses].sort((a, b) => a - b).map((status) => [String(status), { description: ERROR_MEANINGS[status] ?? "Error", content: { "application/json": { schema } } }]),
  );
}

/** `get /runs/{id}/steps` → `getRunsIdSteps`: unique per route, stable across versions. */
function operationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method + words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("");
}

/** The first segment of the path names the resource; both OpenAI-compatible mounts are one tag. */
function tagOf(path: string): string {
  const first = path.split("/")[1] ?? "";
  return first === "v1" || first === "openai" ? "openai" : first;
}
