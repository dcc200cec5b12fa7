/**
 * The OpenAI-compatible routes, mounted at `/v1` and at `/openai/:chain/v1`. They check the
 * bearer key and body size themselves, so that even a 401 or 413 comes back in OpenAI's error
 * shape, and every path under the mount answers here (an unknown one with an OpenAI 404).
 */
import { Hono } from "hono";
import { allowedMethods } from "../allowed-methods";
import type { AppEnv } from "../app-env";
import { bearerAuth } from "../auth";
import { limitBody } from "../body-limit";
import { ApiError } from "../errors";
import { chatCompletionsDoc, chatCompletionsRoute } from "./chat-completions";
import { embeddingsDoc, embeddingsRoute } from "./embeddings";
import { renderOpenAIError } from "./errors";
import { modelDoc, modelRoute, modelsDoc, modelsRoute } from "./models";

/** The path under the mount (`/v1` or `/openai/:chain/v1`), as this sub-app's routes name it. */
const MOUNT = /^(?:\/openai\/[^/]+)?\/v1/;
const methodsAt = allowedMethods(() => openaiApi.routes);

export const openaiApi = new Hono<AppEnv>()
  .use("*", bearerAuth, limitBody)
  .post("/chat/completions", chatCompletionsDoc, chatCompletionsRoute)
  .post("/embeddings", embeddingsDoc, embeddingsRoute)
  .get("/models", modelsDoc, modelsRoute)
  .get("/models/:id{.+}", modelDoc, modelRoute)
  .all("*", (c) => {
    const path = new URL(c.req.url).pathname;
    const allowed = methodsAt(path.replace(MOUNT, ""));
    if (allowed.length > 0) {
      throw new ApiError(405, "method_not_allowed", `${path} does not answer ${c.req.method}; it answers ${allowed.join(", ")}.`, { headers: { allow: allowed.join(", ") } });
    }
    throw new ApiError(404, "unknown_url", `Unrecognized request URL (${c.req.method} ${path}).`);
  })
  .onError((err, c) => renderOpenAIError(c, err));
