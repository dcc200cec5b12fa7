/**
 * `route`: the LLM picks one label, which becomes the eval that the task's branches match; the
 * input passes through unchanged. Labels are `valid_conditions`, else the `when` values of the
 * task's non-default branches. An answer naming no label is a run error, not a retry: the labels
 * or the prompt need fixing.
 */

import { EngineError } from "../errors";
import type { Task } from "../chain";
import type { Handler } from "./types";
import { AnswerError, ask, matchLabel, quote } from "../ask";

export const route: Handler = async (ctx) => {
  const labels = routeLabels(ctx.task);
  if (labels.length === 0) {
    throw new EngineError("validation", `task "${ctx.task.id}" (route) has no labels: set valid_conditions or give its branches "when" values`);
  }
  const choices = labels.map((label) => `"${label}"`).join(", ");
  const answer = await ask(ctx, `Choose the option that fits best. Answer with exactly one of: ${choices}.`);
  const label = matchLabel(answer.text, labels);
  if (label === undefined) {
    throw new AnswerError("invalid_route", `task "${ctx.task.id}": model answered ${quote(answer.text)}, expected one of ${choices}`, answer, {
      retryable: false,
    });
  }
  return { output: ctx.input, eval: label, usage: answer.usage, model: answer.model };
};

function routeLabels(task: Task): string[] {
  if (task.valid_conditions !== undefined) return task.valid_conditions;
  const whens = (task.transition?.branches ?? [])
    .filter((branch) => branch.operator !== "default" && branch.operator !== "edge_traversed_at_least" && branch.when !== "")
    .map((branch) => branch.when);
  return [...new Set(whens)];
}
