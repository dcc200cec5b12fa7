/**
 * `prompt_to_condition`: asks the LLM a yes/no question (or one with the task's own
 * `valid_conditions`) and passes the chosen label on, so branches can use `equals`.
 */

import type { Handler } from "./types";
import { askFor, matchLabel } from "../ask";

const DEFAULT_LABELS = ["true", "false"];
const YES_NO = { yes: "true", no: "false" };

export const prompt_to_condition: Handler = (ctx) => {
  const labels = ctx.task.valid_conditions ?? DEFAULT_LABELS;
  const aliases = ctx.task.valid_conditions === undefined ? YES_NO : {};
  const choices = labels.map((label) => `"${label}"`).join(", ");
  return askFor(ctx, `Answer with exactly one of: ${choices}.`, `one of ${choices}`, (text) =>
    matchLabel(text, labels, aliases),
  );
};
