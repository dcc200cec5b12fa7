/**
 * The HTTP API: `/health` and the API's description (`/openapi.json`, `/docs`) are open; every
 * other route needs a bearer key and a body within the size limit. Errors from any route render
 * as `{ error: { type, message, path? } }`. Every route is described where it is registered
 * (src/api/openapi/describe.ts), so /openapi.json lists exactly what this app serves.
 */
import { Hono } from "hono";
import { allowedMethods } from "./allowed-methods";
import type { AppEnv } from "./app-env";
import { bearerAuth } from "./auth";
import { limitBody } from "./body-limit";
import { chainsApi } from "./chains";
import { contenoxApi } from "./contenox";
import { contractsApi } from "./contracts";
import { ApiError, renderError } from "./errors";
import { eventsApi, ingestApi, mappingsApi } from "./events";
import { functionsApi } from "./functions";
import { groupsApi } from "./groups";
import { healthDoc, healthRoute } from "./health";
import { openaiApi } from "./openai";
import { descriptionApi } from "./openapi";
import { providersApi } from "./providers";
import { runsApi } from "./runs";
import { toolsApi } from "./tools";
import { triggersApi } from "./triggers";

export function createApp() {
  const app = new Hono<AppEnv>();
  app.onError((err, c) => renderError(c, err));
  const methodsAt = allowedMethods(() => app.routes);
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const allowed = methodsAt(path);
    if (allowed.length > 0) {
      return renderError(c, new ApiError(405, "method_not_allowed", `${path} does not answer ${c.req.method}; it answers ${allowed.join(", ")}.`, { headers: { allow: allowed.join(", ") } }));
    }
    return renderError(c, new ApiError(404, "not_found", `No route for ${c.req.method} ${path}.`));
  });
  app.get("/health", healthDoc, healthRoute);
  app.route("/", descriptionApi(() => app.routes));
  // Mounted before the shared auth so that the OpenAI routes check keys themselves and answer
  // even a 401 or 413 in OpenAI's error shape; every path under these mounts ends there.
  app.route("/v1", openaiApi);
  app.route("/openai/:chain/v1", openaiApi);
  // Webhook senders cannot send a bearer key: ingest authenticates by signature or key itself.
  app.route("/ingest", ingestApi);
  app.use("*", bearerAuth, limitBody);
  app.route("/chains", chainsApi);
  app.route("/contracts", contractsApi);
  app.route("/runs", runsApi);
  app.route("/triggers", triggersApi);
  app.route("/events", eventsApi);
  app.route("/mappings", mappingsApi);
  app.route("/functions", functionsApi);
  app.route("/providers", providersApi);
  app.route("/groups", groupsApi);
  app.route("/tools", toolsApi);
  app.route("/", contenoxApi);
  return app;
}
