/**
 * `print`: renders `print` (a template) or the input as text and passes the input on unchanged.
 * The rendered text is the eval, so a following branch can match on what was printed.
 */

import { renderTemplate, stringify } from "../templates";
import type { Handler } from "./types";
import { templateScope } from "../template-scope";

export const print: Handler = async (ctx) => {
  const text = ctx.task.print === undefined ? stringify(ctx.input) : renderTemplate(ctx.task.print, templateScope(ctx.state));
  return { output: ctx.input, eval: text };
};
