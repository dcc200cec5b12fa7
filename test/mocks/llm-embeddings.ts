/**
 * Deterministic embeddings for the mock LLM: each input maps to a small unit vector derived
 * from its text, so equal inputs embed equally and different inputs differently. Vectors are
 * float32-rounded so the `float` and `base64` encodings (the SDK asks for base64 by default)
 * carry exactly the same numbers.
 */
import type { EmbeddingCreateParams } from "openai/resources/embeddings";
import { unitHash } from "./hash";
import { estimateTokens } from "./llm-wire";

const DEFAULT_DIMENSIONS = 8;

export type EmbeddingList = {
  object: "list";
  data: Array<{ object: "embedding"; index: number; embedding: number[] | string }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
};

export function embeddingList(request: EmbeddingCreateParams): EmbeddingList {
  const texts = inputTexts(request.input);
  const dimensions = request.dimensions ?? DEFAULT_DIMENSIONS;
  const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  return {
    object: "list",
    data: texts.map((text, index) => {
      const vector = embed(text, dimensions);
      const embedding = request.encoding_format === "base64" ? toBase64(vector) : vector;
      return { object: "embedding", index, embedding };
    }),
    model: request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

/** Token-id arrays are embedded by their JSON text: stable, and distinct from the string inputs. */
function inputTexts(input: EmbeddingCreateParams["input"]): string[] {
  if (typeof input === "string") return [input];
  if (input.every((item) => typeof item === "number")) return [JSON.stringify(input)];
  return input.map((item) => (typeof item === "string" ? item : JSON.stringify(item)));
}

function embed(text: string, dimensions: number): number[] {
  const raw = Array.from({ length: dimensions }, (_, axis) => unitHash(`${axis}:${text}`) * 2 - 1);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((value) => Math.fround(value / norm));
}

function toBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString("base64");
}
