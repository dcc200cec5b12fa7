/**
 * Rule conditions are CEL (the Common Expression Language: non-Turing-complete, side-effect
 * free, made to be embedded for policy checks), evaluated by `@marcbachmann/cel-js`, which
 * neither calls `eval` nor builds functions from text (both forbidden on Workers). Every
 * condition is type-checked against the variables below when a contract is checked, so a typo
 * is a validation problem with its path, not a refusal at run time.
 *
 * | variable    | what it holds                                                                 |
 * |-------------|-------------------------------------------------------------------------------|
 * | `args`      | the call's arguments                                                          |
 * | `entity`    | the entity as its read operation returned it (an empty map when the operation moves none) |
 * | `state`     | the entity's current state (`""` when the operation moves none)               |
 * | `principal` | the caller: `principal.role`                                                  |
 * | `history`   | the calls that went ahead and succeeded earlier in the run, oldest first: `{tool, args, result}` |
 */
import { Environment } from "@marcbachmann/cel-js";

export interface ConditionInput {
  args: Record<string, unknown>;
  entity: Record<string, unknown>;
  state: string;
  principal: { role: string };
  history: Array<{ tool: string; args: unknown; result: unknown }>;
}

/** A compiled condition: true when it holds; throws when it cannot be evaluated on this input. */
export type Condition = (input: ConditionInput) => boolean;

const ENVIRONMENT = new Environment()
  .registerVariable("args", "map")
  .registerVariable("entity", "map")
  .registerVariable("state", "string")
  .registerVariable("principal", "map")
  .registerVariable("history", "list");

export type Compiled = { ok: true; condition: Condition } | { ok: false; error: string };

export function compileCondition(text: string): Compiled {
  let parsed: ReturnType<Environment["parse"]>;
  try {
    parsed = ENVIRONMENT.parse(text);
  } catch (error) {
    return { ok: false, error: celMessage(error) };
  }
  const checked = parsed.check();
  if (!checked.valid) return { ok: false, error: celMessage(checked.error) };
  if (checked.type !== "bool" && checked.type !== "dyn") return { ok: false, error: `it gives a ${checked.type}, not true or false` };
  return {
    ok: true,
    condition: (input) => {
      const value: unknown = parsed(input as unknown as Record<string, unknown>);
      if (typeof value !== "boolean") throw new Error(`it gave ${JSON.stringify(value)}, not true or false`);
      return value;
    },
  };
}

/** The CEL error's one-line summary (its full message repeats the expression with a caret). */
export function celMessage(error: unknown): string {
  if (typeof error === "object" && error !== null && "summary" in error && typeof error.summary === "string") return error.summary;
  return error instanceof Error ? error.message : String(error);
}
