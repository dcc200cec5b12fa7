/**
 * The API's description, open without a key: `/openapi.json` and its rendering at `/docs`.
 * `routes` reads the whole app's routes when the document is first asked for.
 */
import { Hono } from "hono";
import type { RouterRoute } from "hono/types";
import type { AppEnv } from "../app-env";
import { docsPageDoc, docsPageRoute, docsScriptDoc, docsScriptRoute, docsStyleDoc, docsStyleRoute } from "./docs-page";
import { openapiJsonDoc, openapiJsonRoute } from "./spec";

export function descriptionApi(routes: () => readonly RouterRoute[]) {
  return new Hono<AppEnv>()
    .get("/openapi.json", openapiJsonDoc, openapiJsonRoute(routes))
    .get("/docs", docsPageDoc, docsPageRoute)
    .get("/docs/swagger-ui.js", docsScriptDoc, docsScriptRoute)
    .get("/docs/swagger-ui.css", docsStyleDoc, docsStyleRoute);
}
