/** `prompt_to_range`: asks the LLM for a range and passes it on as "min-max" (for `in_range`). */

import type { Handler } from "./types";
import { askFor } from "../ask";
import { NUMBER } from "../answer-number";

const RANGE = new RegExp(`^(${NUMBER.source})\\s*(?:-|–|—|\\bto\\b|\\.\\.)\\s*(${NUMBER.source})$`, "i");

export const prompt_to_range: Handler = (ctx) =>
  askFor(ctx, 'Answer with a range written as "min-max" (for example "3-7") and nothing else.', 'a range "min-max"', (text) => {
    const match = RANGE.exec(text.replace(/^[\s"'`]+|[\s"'`.]+$/g, ""));
    if (!match) return undefined;
    const min = Number(match[1]);
    const max = Number(match[2]);
    return min <= max ? `${min}-${max}` : undefined;
  });
