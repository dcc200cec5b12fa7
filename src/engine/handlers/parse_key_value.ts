/**
 * `parse_key_value`: reads `key: value` or `key=value` lines of the input into an object, with no
 * LLM involved. Lines without a separator or without a value (headings such as "Details:") are
 * skipped; list bullets before a key are ignored.
 */

import { stringify } from "../templates";
import type { Handler } from "./types";

const LINE = /^\s*(?:[-*•]\s+)?([^:=\s][^:=]*?)\s*[:=]\s*(\S.*?)\s*$/;

export const parse_key_value: Handler = async (ctx) => {
  const pairs: Record<string, string> = {};
  for (const line of stringify(ctx.input).split(/\r?\n/)) {
    const match = LINE.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) pairs[match[1]] = match[2];
  }
  return { output: pairs, eval: Object.keys(pairs).length === 0 ? "empty" : "ok" };
};
