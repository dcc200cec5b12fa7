/**
 * `GET /docs`: /openapi.json rendered by Swagger UI for people. The renderer's script and style
 * are served from the Worker itself (bundled as text from `swagger-ui-dist`), so the page works
 * offline and loads nothing from a CDN; they add about 490 KiB gzipped to the bundle (Scalar's
 * standalone build would add twice that). Its online validator badge is turned off, which would
 * otherwise send the document to swagger.io.
 */
import type { Context } from "hono";
import swaggerStyle from "swagger-ui-dist/swagger-ui.css?raw";
import swaggerScript from "swagger-ui-dist/swagger-ui-bundle.js?raw";
import type { AppEnv } from "../app-env";
import { describeRoute } from "./describe";

// Relative URLs, so the page also works behind a proxy that mounts the API under a prefix.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchyard API</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui.js"></script>
<script>
SwaggerUIBundle({ url: "openapi.json", dom_id: "#swagger-ui", validatorUrl: null, persistAuthorization: true, deepLinking: true });
</script>
</body>
</html>
`;

const ASSET_CACHE = "public, max-age=86400";

const page = (summary: string, mediaType: string) => describeRoute({ summary, tag: "service", auth: "none", responses: { 200: { description: summary, mediaType } } });

export const docsPageDoc = page("The API reference, rendered by Swagger UI", "text/html");
export const docsScriptDoc = page("Swagger UI's script, for /docs", "text/javascript");
export const docsStyleDoc = page("Swagger UI's style sheet, for /docs", "text/css");

export function docsPageRoute(c: Context<AppEnv>): Response {
  return c.html(PAGE);
}

export function docsScriptRoute(c: Context<AppEnv>): Response {
  return c.body(swaggerScript, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": ASSET_CACHE });
}

export function docsStyleRoute(c: Context<AppEnv>): Response {
  return c.body(swaggerStyle, 200, { "content-type": "text/css; charset=utf-8", "cache-control": ASSET_CACHE });
}
