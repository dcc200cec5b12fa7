/** `prompt_to_float`: asks the LLM for a number. */

import type { Handler } from "./types";
import { askFor } from "../ask";
import { onlyNumber } from "../answer-number";

export const prompt_to_float: Handler = (ctx) =>
  askFor(ctx, "Answer with a single number and nothing else.", "a number", onlyNumber);
