/**
 * `POST /v1/embeddings` (and under `/openai/:chain/v1`): OpenAI's embeddings endpoint. Unlike a
 * chat completion, `model` names an embedding model (or `group:NAME`), routed over the backends
 * that serve it like any call; no chain runs. `input` is a string or a list of strings;
 * `encoding_format: "base64"` answers each vector as little-endian float32 bytes, which is what
 * OpenAI's SDKs ask for by default; `dimensions` is passed on.
 */
import type { Context } from "hono";
import { z } from "zod";
import { readConfig } from "../../config";
import { EngineError } from "../../engine/errors";
import { workerRouter } from "../../wiring/router";
import type { AppEnv } from "../app-env";
import { readJson } from "../read-json";
import { failureAnswer } from "./run-failure";

const TEXT_ONLY = "input must be a string or a non-empty list of strings (token arrays are not supported)";

const embeddingsBody = z.object({
  model: z.string({ error: "model is required" }).min(1, "model is required"),
  input: z.union([z.string(), z.array(z.string()).min(1)], { error: TEXT_ONLY }),
  encoding_format: z.enum(["float", "base64"], { error: 'encoding_format is "float" or "base64"' }).default("float"),
  dimensions: z.int().positive().optional(),
  user: z.string().optional(),
});

export async function embeddingsRoute(c: Context<AppEnv>): Promise<Response> {
  const body = await readJson(c, embeddingsBody, "embeddings request");
  const input = typeof body.input === "string" ? [body.input] : body.input;
  const { embeddings } = workerRouter(c.env, readConfig(c.env));
  try {
    const answer = await embeddings.embed({ model: body.model, input, ...(body.dimensions ? { dimensions: body.dimensions } : {}), ...(body.user ? { user: body.user } : {}) }, c.req.raw.signal);
    return c.json({
      object: "list",
      data: answer.vectors.map((vector, index) => ({ object: "embedding", index, embedding: body.encoding_format === "base64" ? float32Base64(vector) : vector })),
      model: answer.model,
      usage: answer.usage,
    });
  } catch (err) {
    throw err instanceof EngineError ? failureAnswer(err.type, err.message) : err;
  }
}

function float32Base64(vector: number[]): string {
  const bytes = new Uint8Array(new Float32Array(vector).buffer);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
