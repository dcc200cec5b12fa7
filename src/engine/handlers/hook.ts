/**
 * `hook`: calls one tool directly, with arguments rendered from templates, and passes its result
 * on. Tools report remote failures as `{ error }`; that becomes eval "error" so a branch can
 * route around it.
 */

import { renderTemplateValue } from "../templates";
import { EngineError } from "../errors";
import type { Handler } from "./types";
import { templateScope } from "../template-scope";

export const hook: Handler = async (ctx) => {
  const { task, state } = ctx;
  if (task.hook === undefined) {
    throw new EngineError("validation", `task "${task.id}" (hook) has no "hook": set hook.tool_name and hook.args`);
  }
  const args = renderTemplateValue(task.hook.args, templateScope(state));
  const result = await ctx.effects.tools.call(task.hook.tool_name, args, {
    runId: state.run_id,
    taskId: task.id,
    idempotencyKey: `${state.run_id}:${state.step_count}:${task.id}`,
    signal: ctx.signal,
  });
  return { output: result, eval: isToolError(result) ? "error" : "ok" };
};

function isToolError(result: unknown): boolean {
  return typeof result === "object" && result !== null && "error" in result && result.error !== undefined && result.error !== null;
}
