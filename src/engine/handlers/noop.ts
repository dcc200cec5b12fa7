/** `noop`: passes its input on unchanged; the eval is the input as text, so branches can test it. */

import { stringify } from "../templates";
import type { Handler } from "./types";

export const noop: Handler = async (ctx) => ({ output: ctx.input, eval: stringify(ctx.input) });
