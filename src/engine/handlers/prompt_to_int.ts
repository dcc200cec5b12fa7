/** `prompt_to_int`: asks the LLM for a whole number. */

import type { Handler } from "./types";
import { askFor } from "../ask";
import { onlyNumber } from "../answer-number";

export const prompt_to_int: Handler = (ctx) =>
  askFor(ctx, "Answer with a single integer and nothing else.", "an integer", (text) => {
    const value = onlyNumber(text);
    return value !== undefined && Number.isSafeInteger(value) ? value : undefined;
  });
