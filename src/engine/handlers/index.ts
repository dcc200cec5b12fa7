/** Every handler by the name chains use in `handler`. */

import type { HandlerName } from "../chain";
import type { Handler } from "./types";
import { chat_completion } from "./chat_completion";
import { embedding } from "./embedding";
import { execute_tool_calls } from "./execute_tool_calls";
import { hook } from "./hook";
import { noop } from "./noop";
import { parse_key_value } from "./parse_key_value";
import { print } from "./print";
import { prompt_to_condition } from "./prompt_to_condition";
import { prompt_to_float } from "./prompt_to_float";
import { prompt_to_int } from "./prompt_to_int";
import { prompt_to_js } from "./prompt_to_js";
import { prompt_to_range } from "./prompt_to_range";
import { prompt_to_string } from "./prompt_to_string";
import { raise_error } from "./raise_error";
import { route } from "./route";
import { run_js } from "./run_js";

export const handlers: Record<HandlerName, Handler> = {
  noop,
  raise_error,
  chat_completion,
  execute_tool_calls,
  route,
  prompt_to_string,
  prompt_to_int,
  prompt_to_float,
  prompt_to_condition,
  prompt_to_range,
  prompt_to_js,
  parse_key_value,
  print,
  hook,
  run_js,
  embedding,
};

/**
 * Handlers that call nothing outside the engine (no model, tool, sandbox or hook): a step of one
 * has no effect to be cut off in the middle of, so running it again after a crash is the same
 * step, and its object keeps no in-flight record for it.
 */
export const CALLS_NOTHING: ReadonlySet<HandlerName> = new Set<HandlerName>(["noop", "print", "parse_key_value", "raise_error"]);
