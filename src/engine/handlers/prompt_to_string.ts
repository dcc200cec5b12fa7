/** `prompt_to_string`: asks the LLM and passes its answer on as plain text. */

import type { Handler } from "./types";
import { askFor } from "../ask";

export const prompt_to_string: Handler = (ctx) =>
  askFor(ctx, "Answer with the requested text only, without preamble.", "some text", (text) =>
    text === "" ? undefined : text,
  );
