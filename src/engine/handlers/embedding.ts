/**
 * `embedding`: turns text into vectors with a model that has the `embeddings` capability,
 * routed like a chat call. The text is the rendered prompt, else the input: a string is one
 * text, a list of strings is one text each, anything else is embedded as its text. The model is
 * `execute_config.model` — a chat model set for the whole run is no embedding model, so run
 * defaults do not apply — else the first embedding model the pool declares. The output is
 * `{ vectors, model, dimensions, usage }`; `execute_config.dimensions` asks for shorter vectors.
 */

import { stringify } from "../templates";
import { EngineError } from "../errors";
import type { Handler, HandlerContext } from "./types";

export const embedding: Handler = async (ctx) => {
  const config = ctx.task.execute_config ?? {};
  const model = ctx.state.model_override || config.model || undefined;
  const response = await ctx.effects.embeddings.embed(
    {
      input: textsOf(ctx),
      ...(model ? { model } : {}),
      ...(ctx.provider ? { provider: ctx.provider } : {}),
      ...(config.providers ? { providers: config.providers } : {}),
      ...(config.routing ? { routing: config.routing } : {}),
      ...dimensionsOf(ctx),
    },
    ctx.signal,
  );
  const { vectors, dimensions, usage } = response;
  return {
    output: { vectors, model: response.model, dimensions, usage },
    eval: "executed",
    usage: { prompt_tokens: usage.prompt_tokens, completion_tokens: 0, total_tokens: usage.total_tokens },
    model: response.model,
  };
};

function textsOf(ctx: HandlerContext): string[] {
  const input = ctx.prompt ?? ctx.input;
  if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === "string")) return input;
  const text = stringify(input);
  if (text === "") throw new EngineError("validation", `task "${ctx.task.id}" (embedding) has no text to embed: give it an input or a prompt_template`);
  return [text];
}

function dimensionsOf(ctx: HandlerContext): { dimensions?: number } {
  const dimensions = ctx.task.execute_config?.dimensions;
  if (dimensions === undefined) return {};
  if (typeof dimensions !== "number" || !Number.isInteger(dimensions) || dimensions <= 0) {
    throw new EngineError("validation", `task "${ctx.task.id}" (embedding): execute_config.dimensions must be a positive integer`);
  }
  return { dimensions };
}
