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
import { describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { openAIErrorBody } from "./errors";
import { failureAnswer } from "./run-failure";

const TEXT_ONLY = "input must be a string or a non-empty list of strings (token arrays are not supported)";

const embeddingsBody = z.object({
  model: z.string({ error: "model is required" }).min(1, "model is required"),
  input: z.union([z.string(), z.array(z.string()).min(1)], { error: TEXT_ONLY }),
  encoding_format: z.enum(["float", "base64"], { error: 'encoding_format is "float" or "base64"' }).default("float"),
  dimensions: z.int().positive().optional(),
  user: z.string().optional(),
});

const embeddingListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(
      z.object({
        object: z.literal("embedding"),
        index: z.int(),
        embedding: z.union([z.array(z.number()), z.string()]).meta({ description: "The vector; with `encoding_format: \"base64\"`, its little-endian float32 bytes in base64" }),
      }),
    ),
    model: z.string().meta({ description: "The model that answered" }),
    usage: z.object({ prompt_tokens: z.number(), total_tokens: z.number() }),
  })
  .meta({ id: "EmbeddingList" });

export const embeddingsDoc = describeRoute({
  summary: "Embed text, as OpenAI's embeddings endpoint",
  description: "`model` names an embedding model (or `group:NAME`), routed over the backends that serve it; no chain runs.",
  body: embeddingsBody,
  responses: { 200: { description: "One vector per input, in order", schema: embeddingListSchema } },
  errors: [424, 429, 500, 502, 504],
  errorSchema: openAIErrorBody,
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
