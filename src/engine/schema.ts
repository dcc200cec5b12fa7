/**
 * The chain format as a zod schema. It accepts the documented snake_case names and the older
 * Contenox spellings — camelCase keys, `type` for `handler`, a task's `tools` for `hook`,
 * execute_config `hooks` for `tools`, legacy handler names (`raw_string`, `condition_key`, …)
 * and operator symbols (`>`, `<`) — and produces the normalised `Chain` of ./types.
 *
 * Unknown keys are dropped rather than rejected, so a chain written for a newer or older engine
 * still loads; `FORMAT_LEVELS` describes every object of the format so the parser can tell the
 * user which keys it ignored (and catch a misspelt `hanlder`).
 */

import { z } from "zod";
import { HANDLER_NAMES } from "./chain";
import type { Chain, HandlerName, Operator } from "./chain";
import { ROUTING_POLICIES } from "./routing";

export const OPERATORS = [
  "equals",
  "contains",
  "starts_with",
  "ends_with",
  "gt",
  "lt",
  "in_range",
  "edge_traversed_at_least",
  "default",
] as const satisfies readonly Operator[];

// Fails to compile when types.ts gains an operator this list lacks.
type Never<T extends never> = T;
type EveryOperatorListed = Never<Exclude<Operator, (typeof OPERATORS)[number]>>;

/** Handler names of older Contenox releases, by the name they have now. */
export const HANDLER_ALIASES: Readonly<Record<string, HandlerName>> = {
  raw_string: "prompt_to_string",
  condition_key: "prompt_to_condition",
  parse_number: "prompt_to_int",
  parse_score: "prompt_to_float",
  parse_range: "prompt_to_range",
  model_execution: "chat_completion",
  tools: "hook",
};

export const OPERATOR_ALIASES: Readonly<Record<string, Operator>> = {
  ">": "gt",
  "<": "lt",
};

/** The closest candidate to a misspelt word (about one edit per four letters), for "did you mean" hints. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 4));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Optimal string alignment distance: Levenshtein plus adjacent swaps ("hanlder" is one edit). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, at(i - 2, j - 2) + 1);
      const row = rows[i];
      if (row) row[j] = distance;
    }
  }
  return at(a.length, b.length);
}

/** " — did you mean "x"?" when a candidate is close, else "."; ends a sentence about `word`. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? "." : ` — did you mean "${match}"?`;
}

function unknownHandlerMessage(input: unknown): string {
  if (input === undefined) return `"handler" is required: it says what the task does, e.g. "chat_completion"`;
  if (typeof input !== "string") return `"handler" must be a handler name such as "chat_completion"`;
  return `unknown handler "${input}"${didYouMean(input, HANDLER_NAMES)} Known handlers: ${HANDLER_NAMES.join(", ")}`;
}

function unknownOperatorMessage(input: unknown): string {
  const known = OPERATORS.join(", ");
  if (input === undefined) return `"operator" is required on every branch: one of ${known}`;
  if (typeof input !== "string") return `"operator" must be one of ${known}`;
  return `unknown operator "${input}"${didYouMean(input, OPERATORS)} Known operators: ${known}`;
}

/** The current name for an older spelling; other names unchanged. */
function currentName(name: string, aliases: Readonly<Record<string, string>>): string {
  return Object.hasOwn(aliases, name) ? (aliases[name] ?? name) : name;
}

const handler = z.preprocess(
  (value) => (typeof value === "string" ? currentName(value, HANDLER_ALIASES) : value),
  z.enum(HANDLER_NAMES, { error: (issue) => unknownHandlerMessage(issue.input) }),
);

const operator = z.preprocess(
  (value) => (typeof value === "string" ? currentName(value, OPERATOR_ALIASES) : value),
  z.enum(OPERATORS, { error: (issue) => unknownOperatorMessage(issue.input) }),
);

// Chains written by hand often give numbers where the format has text ("when": 20).
const text = z.preprocess((value) => (typeof value === "number" ? String(value) : value), z.string());
const names = z.array(z.string());
// Contenox accepts numbers written as text ("max_tokens": "1024").
const numeric = (schema: z.ZodNumber) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : value), schema);
const count = numeric(z.number().int().nonnegative());
const positive = numeric(z.number().int().positive());

// -------------------------------------------------------------------------------------------
// Objects of the format, each with its accepted aliases
// -------------------------------------------------------------------------------------------

/** One object of the format: its fields, the other spellings it accepts, and where it nests. */
export interface FormatLevel {
  /** Human name used in messages, e.g. "a task". */
  name: string;
  fields: readonly string[];
  /** Older spelling → field. */
  aliases: Readonly<Record<string, string>>;
  /** Free-form objects keep unknown keys (handler settings), so only near-misses are reported. */
  open: boolean;
  /** Fields that hold another level (one object, or a list of them). */
  children: Readonly<Record<string, { level: FormatLevel; list: boolean }>>;
}

function camelCase(field: string): string {
  return field.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Every snake_case field also answers to its camelCase spelling. */
function aliasesOf(fields: readonly string[], extra: Record<string, string>): Record<string, string> {
  const camel = fields.filter((field) => camelCase(field) !== field).map((field) => [camelCase(field), field] as const);
  return { ...Object.fromEntries(camel), ...extra };
}

/** `value` with aliased keys renamed; when both spellings are present the documented one wins. */
function renameAliases(value: unknown, aliases: Readonly<Record<string, string>>): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const target = currentName(key, aliases);
    if (target === key || !Object.hasOwn(value, target)) result[target] = field;
  }
  return result;
}

/**
 * `value` with each lifted field moved into the child object it belongs to (created when
 * missing); a value the child already has wins.
 */
function liftFields(value: unknown, lift: Readonly<Record<string, string>>): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const result: Record<string, unknown> = { ...value };
  for (const [field, child] of Object.entries(lift)) {
    if (!Object.hasOwn(result, field)) continue;
    const inner = result[child];
    const target = typeof inner === "object" && inner !== null && !Array.isArray(inner) ? inner : {};
    result[child] = { [field]: result[field], ...target };
    delete result[field];
  }
  return result;
}

function level<S extends z.ZodRawShape>(
  name: string,
  shape: S,
  options: { aliases?: Record<string, string>; open?: boolean; children?: FormatLevel["children"]; lift?: Record<string, string> } = {},
) {
  const open = options.open ?? false;
  const lift = options.lift ?? {};
  const spec: FormatLevel = {
    name,
    fields: [...Object.keys(shape), ...Object.keys(lift)],
    aliases: aliasesOf([...Object.keys(shape), ...Object.keys(lift)], options.aliases ?? {}),
    open,
    children: options.children ?? {},
  };
  const object = open ? z.looseObject(shape) : z.object(shape);
  return { spec, schema: z.preprocess((value) => liftFields(renameAliases(value, spec.aliases), lift), object) };
}

const retryPolicy = level("a retry_policy", {
  // Defaults follow the design example, so naming only a fallback model still retries sensibly.
  max_attempts: positive.default(3),
  initial_backoff: z.string().default("1s"),
  max_backoff: z.string().default("30s"),
  jitter: numeric(z.number().min(0).max(1)).default(0.2),
  fallback_model_id: z.string().optional(),
  fallback_after: positive.optional(),
});

const executeConfig = level(
  "an execute_config",
  {
    model: z.string().optional(),
    provider: z.string().optional(),
    models: names.optional(),
    providers: names.optional(),
    tools: names.optional(),
    max_tokens: positive.optional(),
    temperature: numeric(z.number().min(0)).optional(),
    top_p: numeric(z.number().min(0).max(1)).optional(),
    stop: names.optional(),
    retry_policy: retryPolicy.schema.optional(),
    pass_clients_tools: z.boolean().optional(),
    on_token_limit: z.enum(["truncate", "fail"]).optional(),
    routing: z.enum(ROUTING_POLICIES, { error: `routing is a policy: ${ROUTING_POLICIES.join(", ")}` }).optional(),
  },
  { open: true, aliases: { hooks: "tools" }, children: { retry_policy: { level: retryPolicy.spec, list: false } } },
);

const hook = level(
  "a hook",
  { name: z.string().min(1), tool_name: z.string().min(1), args: z.record(z.string(), z.unknown()).default({}) },
  // Contenox 0.x named the hook service `type`.
  { aliases: { type: "name" } },
);

const branch = level(
  "a branch",
  { operator, when: text.default(""), goto: text, edge: z.string().optional() },
);

const transition = level(
  "a transition",
  { on_failure: z.string().optional(), branches: z.array(branch.schema).default([]) },
  { children: { branches: { level: branch.spec, list: true } } },
);

// Contenox writes valid_conditions as a set ({"yes": true}); we keep the names set to true.
const validConditions = z.preprocess(
  (value) =>
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? Object.entries(value).flatMap(([name, enabled]) => (enabled === true ? [name] : []))
      : value,
  names,
);

const task = level(
  "a task",
  {
    id: z.string().min(1),
    description: z.string().optional(),
    handler,
    system_instruction: z.string().optional(),
    prompt_template: z.string().optional(),
    output_template: z.string().optional(),
    input_var: z.string().optional(),
    execute_config: executeConfig.schema.optional(),
    transition: transition.schema.optional(),
    timeout: z.string().optional(),
    retry_on_failure: count.optional(),
    hook: hook.schema.optional(),
    print: z.string().optional(),
    valid_conditions: validConditions.optional(),
    contract: z.string().min(1).optional(),
  },
  {
    aliases: { type: "handler", tools: "hook" },
    // Written beside the task's other fields as often as inside execute_config; it means the same.
    lift: { pass_clients_tools: "execute_config" },
    children: {
      execute_config: { level: executeConfig.spec, list: false },
      transition: { level: transition.spec, list: false },
      hook: { level: hook.spec, list: false },
    },
  },
);

const chain = level(
  "a chain",
  {
    id: z.string().min(1),
    description: z.string().optional(),
    token_limit: positive.optional(),
    max_steps: positive.optional(),
    contract: z.string().min(1).optional(),
    tasks: z.array(task.schema).min(1, { error: "a chain needs at least one task" }),
  },
  { children: { tasks: { level: task.spec, list: true } } },
);

export const ChainSchema = chain.schema satisfies z.ZodType<Chain>;

/** The format's objects, from the chain down, for reporting keys the schema ignores. */
export const FORMAT_LEVELS = {
  chain: chain.spec,
  task: task.spec,
  execute_config: executeConfig.spec,
  retry_policy: retryPolicy.spec,
  hook: hook.spec,
  transition: transition.spec,
  branch: branch.spec,
} as const;
