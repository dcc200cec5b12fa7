/**
 * `GET /openapi.json`: this API as an OpenAPI 3.1 document, built from the app's own routes on
 * the first request and kept for the isolate's life (the routes never change after start-up).
 */
import type { Handler } from "hono";
import type { RouterRoute } from "hono/types";
import type { OpenAPIV3_1 } from "openapi-types";
import { z } from "zod";
import packageJson from "../../../package.json?raw";
import type { AppEnv } from "../app-env";
import { describeRoute } from "./describe";
import { openapiDocument } from "./document";

export const openapiJsonDoc = describeRoute({
  summary: "This API as an OpenAPI 3.1 document",
  tag: "service",
  auth: "none",
  responses: { 200: { description: "The document /docs renders", schema: z.record(z.string(), z.unknown()) } },
});

export function openapiJsonRoute(routes: () => readonly RouterRoute[]): Handler<AppEnv> {
  let document: OpenAPIV3_1.Document | undefined;
  return (c) => {
    document ??= openapiDocument(routes(), {
      title: "Switchyard",
      version: (JSON.parse(packageJson) as { version: string }).version,
      description:
        "Durable JSON state-machine chains, code mode, an OpenAI-compatible endpoint, cron and event triggers. Every route but the few marked otherwise needs `Authorization: Bearer <key>`.",
    });
    return c.json(document);
  };
}
