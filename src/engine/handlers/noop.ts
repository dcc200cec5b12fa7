/**
 * `noop`: passes its input on unchanged. The eval is the input as text (a chat as its last
 * answer), so branches can test it; structured data — an object or a list, such as a run_js
 * envelope — evaluates to "ok" instead of to its whole serialisation.
 */

import { isChatHistory, stringify } from "../templates";
import type { Handler } from "./types";

export const noop: Handler = async (ctx) => ({ output: ctx.input, eval: isData(ctx.input) ? "ok" : stringify(ctx.input) });

function isData(value: unknown): boolean {
  return typeof value === "object" && value !== null && !isChatHistory(value);
}
