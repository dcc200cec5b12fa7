/**
 * `run_js`: runs JavaScript in the sandbox. The code comes from the input (`{ code }`, as
 * `prompt_to_js` writes it), else from `execute_config.code`, else from `hook.args.code`. The
 * output is the sandbox's whole envelope (result, logs, calls), and the eval says whether the
 * code succeeded.
 */

import { renderTemplateValue } from "../templates";
import { EngineError } from "../errors";
import type { Handler, HandlerContext } from "./types";
import { templateScope } from "../template-scope";

export const run_js: Handler = async (ctx) => {
  const code = codeOf(ctx);
  if (code === undefined) {
    throw new EngineError(
      "validation",
      `task "${ctx.task.id}" (run_js) has no code: pass { code } as its input, or set execute_config.code or hook.args.code`,
    );
  }
  const envelope = await ctx.effects.sandbox.run(code, { task: ctx.task, runId: ctx.state.run_id, signal: ctx.signal });
  return { output: envelope, eval: envelope.ok ? "ok" : "error" };
};

function codeOf(ctx: HandlerContext): string | undefined {
  const { input, task } = ctx;
  if (typeof input === "object" && input !== null && "code" in input && typeof input.code === "string") return input.code;
  if (typeof task.execute_config?.code === "string") return task.execute_config.code;
  const fromHook = task.hook === undefined ? undefined : renderTemplateValue(task.hook.args.code, templateScope(ctx.state));
  return typeof fromHook === "string" ? fromHook : undefined;
}
