/**
 * `raise_error`: fails the run on purpose, typically as an `on_failure` target. The message is
 * the rendered `prompt_template`, else the input (which carries the failed task's error when
 * reached through `on_failure`). It is never retried.
 */

import { stringify } from "../templates";
import { EngineError } from "../errors";
import type { Handler } from "./types";

export const raise_error: Handler = async (ctx) => {
  const text = ctx.prompt ?? stringify(ctx.input);
  const message = text.trim() === "" ? `task "${ctx.task.id}" raised an error` : text;
  throw new EngineError("raised", message, { retryable: false });
};
