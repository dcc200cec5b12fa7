/**
 * The HTTP API: `/health` is open; every other route needs a bearer key and a body within
 * the size limit. Errors from any route render as `{ error: { type, message, path? } }`.
 */
import { Hono } from "hono";
import type { AppEnv } from "./app-env";
import { bearerAuth } from "./auth";
import { limitBody } from "./body-limit";
import { chainsApi } from "./chains";
import { ApiError, renderError } from "./errors";
import { runsApi } from "./runs";

export function createApp() {
  const app = new Hono<AppEnv>();
  app.onError((err, c) => renderError(c, err));
  app.notFound((c) => renderError(c, new ApiError(404, "not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)));
  app.get("/health", (c) => c.json({ ok: true, service: "switchyard" }));
  app.use("*", bearerAuth, limitBody);
  app.route("/chains", chainsApi);
  app.route("/runs", runsApi);
  return app;
}
