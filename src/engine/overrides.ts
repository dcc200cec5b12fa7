/**
 * Request overrides: sampling settings a caller sets for every chat turn of one run, the way an
 * OpenAI-compatible client sends `max_tokens`, `temperature`, `top_p`, `stop`, `tool_choice`,
 * `response_format` and `user` with its request. They travel as reserved run vars (`request.max_tokens`, …), so they are
 * stored with the run and survive a resume like any other var, and a chain can read them with
 * `{{var:request.temperature}}`. `chat_completion` applies them on top of the task's own
 * settings, with two limits a chain keeps: its `max_tokens` is a ceiling the caller can lower
 * but not raise, and `tool_choice` applies only where the task offers the client's tools.
 */

import type { ChatRequest } from "./effects";

export interface ChatOverrides {
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  /** OpenAI's `tool_choice`: "none" | "auto" | "required" | { type: "function", function: { name } }. */
  tool_choice?: unknown;
  /** OpenAI's `response_format`, passed on to the provider as given. */
  response_format?: unknown;
  /** OpenAI's `user`: the end user the run works for, passed on to the provider. */
  user?: string;
}

/** Run vars starting with this are set by the endpoint a run came through, not by the chain. */
export const REQUEST_VAR_PREFIX = "request.";

const NUMBERS = ["max_tokens", "temperature", "top_p"] as const;
const JSON_VALUES = ["stop", "tool_choice", "response_format"] as const;
const USER_VAR = REQUEST_VAR_PREFIX + "user";

export function overrideVars(overrides: ChatOverrides): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const key of NUMBERS) {
    const value = overrides[key];
    if (value !== undefined) vars[REQUEST_VAR_PREFIX + key] = String(value);
  }
  for (const key of JSON_VALUES) {
    const value = overrides[key];
    if (value !== undefined) vars[REQUEST_VAR_PREFIX + key] = JSON.stringify(value);
  }
  if (overrides.user) vars[USER_VAR] = overrides.user;
  return vars;
}

/** The overrides a run's vars carry; vars that do not parse are ignored, as if unset. */
export function readOverrides(vars: Readonly<Record<string, string>>): ChatOverrides {
  const overrides: ChatOverrides = {};
  for (const key of NUMBERS) {
    const text = vars[REQUEST_VAR_PREFIX + key];
    const value = text === undefined || text.trim() === "" ? Number.NaN : Number(text);
    if (Number.isFinite(value)) overrides[key] = value;
  }
  const stop = parseJson(vars[REQUEST_VAR_PREFIX + "stop"]);
  if (Array.isArray(stop) && stop.every((item) => typeof item === "string")) overrides.stop = stop;
  const toolChoice = parseJson(vars[REQUEST_VAR_PREFIX + "tool_choice"]);
  if (toolChoice !== undefined) overrides.tool_choice = toolChoice;
  const responseFormat = parseJson(vars[REQUEST_VAR_PREFIX + "response_format"]);
  if (responseFormat !== undefined) overrides.response_format = responseFormat;
  const user = vars[USER_VAR];
  if (user) overrides.user = user;
  return overrides;
}

/** `request` with the overrides applied; `offersClientTools` gates `tool_choice`. */
export function applyOverrides(request: ChatRequest, overrides: ChatOverrides, offersClientTools: boolean): ChatRequest {
  const { max_tokens, temperature, top_p, stop, tool_choice, response_format, user } = overrides;
  const applied: ChatRequest = { ...request };
  if (max_tokens !== undefined) applied.max_tokens = request.max_tokens === undefined ? max_tokens : Math.min(request.max_tokens, max_tokens);
  if (temperature !== undefined) applied.temperature = temperature;
  if (top_p !== undefined) applied.top_p = top_p;
  if (stop !== undefined) applied.stop = stop;
  if (tool_choice !== undefined && offersClientTools) applied.tool_choice = tool_choice;
  if (response_format !== undefined) applied.response_format = response_format;
  if (user !== undefined) applied.user = user;
  return applied;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
