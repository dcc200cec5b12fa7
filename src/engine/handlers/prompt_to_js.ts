/**
 * `prompt_to_js`: the LLM writes JavaScript for a following `run_js` task. Models wrap code in
 * markdown fences or in a `{"code": "…"}` object however they are told; both are removed so the
 * output is always `{ code }` holding bare source.
 */

import type { Handler } from "./types";
import { AnswerError, ask } from "../ask";

const FORMAT =
  "Write JavaScript only: an async function body whose `return` value is the result. " +
  "No explanations and no markdown.";

const FENCED = /```[\w-]*[^\S\n]*\n([\s\S]*?)\n?```/;

export const prompt_to_js: Handler = async (ctx) => {
  const answer = await ask(ctx, FORMAT);
  const code = extractCode(answer.text);
  if (code === "") {
    throw new AnswerError("parse_error", `task "${ctx.task.id}": model answered without any code`, answer, { retryable: true });
  }
  return { output: { code }, eval: "ok", usage: answer.usage, model: answer.model };
};

/** Bare source from an answer that may be fenced, JSON-wrapped, or both. */
export function extractCode(text: string): string {
  const unfenced = (FENCED.exec(text)?.[1] ?? text).trim();
  const wrapped = jsonCode(unfenced);
  return wrapped === undefined ? unfenced : extractCode(wrapped);
}

function jsonCode(text: string): string | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && "code" in value && typeof value.code === "string") return value.code;
  } catch {
    // Not JSON: an object literal in plain JavaScript source, which is what we want to keep.
  }
  return undefined;
}
