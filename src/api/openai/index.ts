/**
 * The OpenAI-compatible routes, mounted at `/v1` and at `/openai/:chain/v1`. They check the
 * bearer key and body size themselves, so that even a 401 or 413 comes back in OpenAI's error
 * shape, and every path under the mount answers here (an unknown one with an OpenAI 404).
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { bearerAuth } from "../auth";
import { limitBody } from "../body-limit";
import { ApiError } from "../errors";
import { chatCompletionsDoc, chatCompletionsRoute } from "./chat-completions";
import { embeddingsDoc, embeddingsRoute } from "./embeddings";
import { renderOpenAIError } from "./errors";
import { modelsDoc, modelsRoute } from "./models";

export const openaiApi = new Hono<AppEnv>()
  .use("*", bearerAuth, limitBody)
  .post("/chat/completions", chatCompletionsDoc, chatCompletionsRoute)
  .post("/embeddings", embeddingsDoc, embeddingsRoute)
  .get("/models", modelsDoc, modelsRoute)
  .all("*", (c) => {
    throw new ApiError(404, "unknown_url", `Unrecognized request URL (${c.req.method} ${new URL(c.req.url).pathname}).`);
  })
  .onError((err, c) => renderOpenAIError(c, err));
