/**
 * How a route says what it is for the OpenAPI document: one middleware placed before its handler,
 * `.post("/", createRunDoc, createRunRoute)`, holding the zod schemas the handler itself checks
 * its query and body with and the schemas of its answers. At request time it only passes on to
 * the handler; `document.ts` finds it again in `app.routes`, so a description travels with its
 * route wherever the route is mounted, under the path Hono really serves.
 *
 * Why this and not a library's route declarations: `@hono/zod-openapi` wants every route built
 * with `createRoute` and validates requests itself, before the handler (its own error shape,
 * JSON-only bodies — `POST /chains` takes JSONC text), so every handler would change; the
 * middleware approach of `hono-openapi` is the same as this one, but converts through a chain
 * of schema adapters without zod's input/output distinction that transforms and defaults need.
 * The part that could drift — turning zod into JSON Schema — is zod v4's own `z.toJSONSchema`.
 */
import type { MiddlewareHandler } from "hono";
import type { z } from "zod";

/** One answer of a route: a JSON body of `schema`, another media type, or no body at all. */
export interface Reply {
  description: string;
  schema?: z.ZodType;
  /** Defaults to `application/json` when there is a schema. */
  mediaType?: string;
}

export interface RouteDescription {
  summary: string;
  description?: string;
  /** Groups the route in /docs; defaults to the first segment of its path. */
  tag?: string;
  /** The zod object the handler reads `c.req.query()` with. */
  query?: z.ZodType;
  /** Request headers the handler reads, as a zod object (names in lower case). */
  headers?: z.ZodType;
  /** The zod schema the handler reads the JSON body with. */
  body?: z.ZodType;
  /** Successful answers by status. */
  responses: Record<number, Reply>;
  /**
   * Error statuses the handler itself answers beyond the ones every route of its kind can:
   * 401 (the key), 400 (a query or body that fails its schema), 413 (a body over the limit) and
   * 404 (an unknown id in the path) are added from the description.
   */
  errors?: readonly number[];
  /** The error body's schema; OpenAI's shape on the OpenAI-compatible routes. */
  errorSchema?: z.ZodType;
  /** `none`: no key needed; `optional`: a key or another proof (a webhook's signature). */
  auth?: "bearer" | "none" | "optional";
}

/** The answers of a route that creates or replaces: 201 when it created, 200 when it replaced. */
export function createdOrReplaced(what: string, schema: z.ZodType): Record<number, Reply> {
  return { 200: { description: `${what}, replaced`, schema }, 201: { description: `${what}, created`, schema } };
}

/** The key the description hides under on its middleware. */
export const DESCRIPTION = Symbol("switchyard.route-description");

export type DescribedMiddleware = MiddlewareHandler & { [DESCRIPTION]: RouteDescription };

export function describeRoute(description: RouteDescription): DescribedMiddleware {
  const middleware: MiddlewareHandler = (_c, next) => next();
  return Object.assign(middleware, { [DESCRIPTION]: description });
}
