/**
 * Semantic checks on a chain whose shape is already right: references that name no task,
 * edges that count transitions which do not exist, `when` values an operator cannot read,
 * tasks nothing reaches, loops nothing leaves. Every rule runs and every problem is reported at
 * once, each with the JSON path of the culprit and a sentence that names it. Text containing a
 * `{{…}}` macro is only known at run time, so it is never judged here.
 *
 * `checkChain` is the whole pipeline (parse, then validate) behind `POST /chains/validate`.
 */

import { parseDuration } from "./duration";
import { isBuiltInRoot, templateRoots } from "./templates";
import { parseChain, parseChainText } from "./parse";
import { OPERATORS, didYouMean } from "./schema";
import { isEnd, normalizeEdge, parseRange } from "./transitions";
import { END, HANDLER_NAMES } from "./chain";
import type { Branch, Chain, Task } from "./chain";
import type { Problem } from "./errors";

export interface ValidateOptions {
  /** Registered tool names; when given, grants naming other tools are reported. */
  knownTools?: Iterable<string>;
  /** Configured provider names and types; when given, a `provider` or `providers` entry naming neither is reported. */
  knownProviders?: Iterable<string>;
  /** Configured group names; when given, a `group:NAME` model naming another is reported. */
  knownGroups?: Iterable<string>;
}

export interface ChainReport {
  /** True when no problem is an error (warnings allowed). */
  ok: boolean;
  chain?: Chain;
  problems: Problem[];
}

/** Parses `input` (chain text, or an already-parsed JSON value) and validates the result. */
export function checkChain(input: unknown, options: ValidateOptions = {}): ChainReport {
  const parsed = typeof input === "string" ? parseChainText(input) : parseChain(input);
  if (parsed.chain === undefined) {
    const rest = parsed.draft ? validateChain(parsed.draft, options).filter((p) => !parsed.problems.some((q) => q.path === p.path)) : [];
    return { ok: false, problems: [...parsed.problems, ...rest] };
  }
  const problems = [...parsed.problems, ...validateChain(parsed.chain, options)];
  return { ok: !problems.some((problem) => problem.severity === "error"), chain: parsed.chain, problems };
}

export function validateChain(chain: Chain, options: ValidateOptions = {}): Problem[] {
  const scope = validationScope(chain, options);
  return [
    ...chainIdProblems(chain),
    ...taskIdProblems(chain),
    ...chain.tasks.flatMap((task, index) => taskProblems(task, `tasks[${index}]`, scope)),
    ...reachabilityProblems(chain, scope),
  ];
}

interface Scope {
  /** Index of the first task with each id. */
  indexOf: Map<string, number>;
  taskById: (id: string) => Task | undefined;
  /** "(tasks: a, b, c)", for messages about names that match no task. */
  taskList: string;
  knownTools?: Set<string>;
  /** The contract the chain binds, if any. */
  chainContract?: string;
  knownProviders?: Set<string>;
  knownGroups?: Set<string>;
}

function validationScope(chain: Chain, options: ValidateOptions): Scope {
  const indexOf = new Map<string, number>();
  chain.tasks.forEach((task, index) => {
    if (!indexOf.has(task.id)) indexOf.set(task.id, index);
  });
  const ids = [...indexOf.keys()];
  const shown = ids.length > 20 ? [...ids.slice(0, 20), `… ${ids.length - 20} more`] : ids;
  const taskById = (id: string) => {
    const index = indexOf.get(id);
    return index === undefined ? undefined : chain.tasks[index];
  };
  const scope: Scope = { indexOf, taskById, taskList: `(tasks: ${shown.join(", ")})`, ...(chain.contract !== undefined ? { chainContract: chain.contract } : {}) };
  if (options.knownTools !== undefined) scope.knownTools = new Set(options.knownTools);
  if (options.knownProviders !== undefined) scope.knownProviders = new Set(options.knownProviders);
  if (options.knownGroups !== undefined) scope.knownGroups = new Set(options.knownGroups);
  return scope;
}

/** Whether text is only known at run time (a macro or template), so not judged here. */
function isDynamic(text: string): boolean {
  return text.includes("{{");
}

const error = (path: string, message: string): Problem => ({ severity: "error", path, message });
const warning = (path: string, message: string): Problem => ({ severity: "warning", path, message });

// -------------------------------------------------------------------------------------------
// Ids
// -------------------------------------------------------------------------------------------

function chainIdProblems(chain: Chain): Problem[] {
  if (/^[A-Za-z0-9][\w.-]*$/.test(chain.id)) return [];
  return [error("id", `chain id "${chain.id}" may only contain letters, digits, "_", "." and "-" (it appears in URLs), and must start with a letter or digit`)];
}

function taskIdProblems(chain: Chain): Problem[] {
  const problems: Problem[] = [];
  const firstAt = new Map<string, number>();
  chain.tasks.forEach(({ id }, index) => {
    const path = `tasks[${index}].id`;
    const first = firstAt.get(id);
    if (first !== undefined) problems.push(error(path, `task id "${id}" is already used by tasks[${first}]; task ids must be unique`));
    else firstAt.set(id, index);
    if (id === END) problems.push(error(path, `task id "${END}" is reserved: goto "${END}" ends the run, so no branch can reach a task of that name; rename it`));
    if (id.includes("->")) problems.push(error(path, `task id "${id}" contains "->", which separates the two ends of an edge ("from->to"); rename it`));
  });
  return problems;
}

// -------------------------------------------------------------------------------------------
// One task
// -------------------------------------------------------------------------------------------

function taskProblems(task: Task, path: string, scope: Scope): Problem[] {
  const name = `task "${task.id}"`;
  const problems: Problem[] = [];
  if (!(HANDLER_NAMES as readonly string[]).includes(task.handler)) {
    problems.push(error(`${path}.handler`, `${name} has unknown handler "${task.handler}"${didYouMean(task.handler, HANDLER_NAMES)}`));
  }
  if (task.handler === "hook" && task.hook === undefined) {
    problems.push(error(`${path}.hook`, `${name} uses the hook handler but has no "hook"; add { "name", "tool_name", "args" } saying which tool to call`));
  }
  if (task.handler !== "hook" && task.hook !== undefined) {
    problems.push(warning(`${path}.hook`, `${name} has a "hook" but its handler is "${task.handler}", so the hook is never called`));
  }
  if (task.input_var !== undefined && task.input_var !== "" && task.input_var !== "input" && !isDynamic(task.input_var) && !scope.indexOf.has(task.input_var)) {
    // Not an error: the run also resolves input_var from run vars, which only the caller knows.
    problems.push(
      warning(
        `${path}.input_var`,
        `${name} reads input_var "${task.input_var}", which is not a task in this chain ${scope.taskList}; the run fails unless it supplies a var of that name`,
      ),
    );
  }
  problems.push(...templateProblems(task, path, scope));
  problems.push(...durationProblems(task, path));
  problems.push(...toolGrantProblems(task, path, scope));
  problems.push(...contractMacroProblems(task, path, scope));
  problems.push(...backendProblems(task, path, scope));
  problems.push(...transitionProblems(task, path, scope));
  return problems;
}

/** Fields whose `{{.task}}` references are rendered from earlier outputs when the task runs. */
const TEMPLATED_FIELDS = ["prompt_template", "output_template", "print"] as const;

function templateProblems(task: Task, path: string, scope: Scope): Problem[] {
  const fields: Array<[string, unknown]> = [...TEMPLATED_FIELDS.map((field): [string, unknown] => [field, task[field]]), ["hook.args", task.hook?.args]];
  return fields.flatMap(([field, value]) =>
    [...new Set(templateRoots(value))]
      .filter((root) => !isBuiltInRoot(root) && !scope.indexOf.has(root))
      .map((root) =>
        error(`${path}.${field}`, `task "${task.id}" reads {{.${root}}} in ${field}, but "${root}" is not a task of this chain ${scope.taskList}; use {{.input}}, {{.previous_output}} or a task id`),
      ),
  );
}

function durationProblems(task: Task, path: string): Problem[] {
  const policy = task.execute_config?.retry_policy;
  const durations: [string, string | undefined][] = [
    [`${path}.timeout`, task.timeout],
    [`${path}.execute_config.retry_policy.initial_backoff`, policy?.initial_backoff],
    [`${path}.execute_config.retry_policy.max_backoff`, policy?.max_backoff],
  ];
  return durations.flatMap(([at, text]) => {
    if (text === undefined || isDynamic(text)) return [];
    const field = at.slice(at.lastIndexOf(".") + 1);
    let ms: number;
    try {
      ms = parseDuration(text);
    } catch {
      return [error(at, `task "${task.id}": ${field} "${text}" is not a duration; write it like "30s", "500ms" or "1m30s"`)];
    }
    return ms < 0 ? [error(at, `task "${task.id}": ${field} "${text}" is negative`)] : [];
  });
}

function toolGrantProblems(task: Task, path: string, scope: Scope): Problem[] {
  const known = scope.knownTools;
  const grant = task.execute_config?.tools;
  if (known === undefined || grant === undefined) return [];
  return grant.flatMap((tool, index) => {
    if (tool === "*" || tool.startsWith("!") || isDynamic(tool) || known.has(tool)) return [];
    const registered = known.size === 0 ? "no tools are registered" : `registered: ${[...known].join(", ")}`;
    return [
      warning(
        `${path}.execute_config.tools[${index}]`,
        `task "${task.id}" grants tool "${tool}", which is not registered${didYouMean(tool, known).replace(/\.$/, "")} (${registered})`,
      ),
    ];
  });
}

/** `{{contract}}` renders the contract the task is governed by; without one it would reach the model as written. */
function contractMacroProblems(task: Task, path: string, scope: Scope): Problem[] {
  if (task.contract !== undefined || scope.chainContract !== undefined || !/\{\{\s*contract\s*\}\}/.test(JSON.stringify(task))) return [];
  return [warning(path, `task "${task.id}" uses {{contract}}, but neither it nor the chain binds a contract ("contract": "<id>"), so the macro stays as written`)];
}

/**
 * Providers and groups are registered at run time, so a name nothing configured provides is a
 * warning, not an error: the chain may be stored before its backend is.
 */
function backendProblems(task: Task, path: string, scope: Scope): Problem[] {
  const config = task.execute_config;
  const problems: Problem[] = [];
  const providers = scope.knownProviders;
  if (providers !== undefined) {
    const named: [string, string | undefined][] = [[`${path}.execute_config.provider`, config?.provider], ...(config?.providers ?? []).map((p, i): [string, string] => [`${path}.execute_config.providers[${i}]`, p])];
    for (const [at, name] of named) {
      if (name === undefined || name === "" || name === "default" || isDynamic(name) || providers.has(name)) continue;
      const known = providers.size === 0 ? "no providers are configured" : `configured names and types: ${[...providers].join(", ")}`;
      problems.push(warning(at, `task "${task.id}" names provider "${name}", which is neither a configured provider nor the type of one (${known}); runs fail until one is added`));
    }
  }
  const group = config?.model?.startsWith("group:") ? config.model.slice("group:".length) : undefined;
  if (scope.knownGroups !== undefined && group !== undefined && !isDynamic(group) && !scope.knownGroups.has(group)) {
    const known = scope.knownGroups.size === 0 ? "no groups are configured" : `groups: ${[...scope.knownGroups].join(", ")}`;
    problems.push(warning(`${path}.execute_config.model`, `task "${task.id}" uses group "${group}", which is not configured (${known}); runs fail until it is created`));
  }
  return problems;
}

function transitionProblems(task: Task, path: string, scope: Scope): Problem[] {
  const transition = task.transition;
  if (transition === undefined) return [];
  const problems: Problem[] = [];
  const onFailure = transition.on_failure;
  if (onFailure !== undefined && !isEnd(onFailure) && !isDynamic(onFailure) && !scope.indexOf.has(onFailure)) {
    problems.push(
      error(
        `${path}.transition.on_failure`,
        `task "${task.id}" sends failures to "${onFailure}", which is not a task in this chain ${scope.taskList}`,
      ),
    );
  }
  const firstDefault = transition.branches.findIndex((branch) => branch.operator === "default");
  transition.branches.forEach((branch, index) => {
    const at = `${path}.transition.branches[${index}]`;
    problems.push(...branchProblems(task, branch, at, index, scope));
    if (firstDefault >= 0 && index > firstDefault) {
      problems.push(warning(at, `branch ${index} of task "${task.id}" comes after a "default" branch (branch ${firstDefault}), so it is never tried`));
    }
  });
  return problems;
}

function branchProblems(task: Task, branch: Branch, at: string, index: number, scope: Scope): Problem[] {
  const which = `branch ${index} of task "${task.id}"`;
  const problems: Problem[] = [];
  if (!(OPERATORS as readonly string[]).includes(branch.operator)) {
    problems.push(error(`${at}.operator`, `${which} has unknown operator "${branch.operator}"${didYouMean(branch.operator, OPERATORS)}`));
  }
  if (!isEnd(branch.goto) && !isDynamic(branch.goto) && !scope.indexOf.has(branch.goto)) {
    problems.push(error(`${at}.goto`, `task "${task.id}" goes to "${branch.goto}", which is not a task in this chain ${scope.taskList}`));
  }
  problems.push(...whenProblems(branch, `${at}.when`, which));
  if (branch.operator === "edge_traversed_at_least") {
    if (branch.edge === undefined || branch.edge.trim() === "") {
      problems.push(error(`${at}.edge`, `${which} uses edge_traversed_at_least but has no "edge"; name the transition to count as "from->to", e.g. "chat->run_tools"`));
    } else {
      problems.push(...edgeProblems(branch.edge, `${at}.edge`, which, scope));
    }
  } else if (branch.edge !== undefined) {
    problems.push(warning(`${at}.edge`, `${which} has an "edge", which only edge_traversed_at_least reads; with "${branch.operator}" it is ignored`));
  }
  return problems;
}

function whenProblems(branch: Branch, at: string, which: string): Problem[] {
  const when = branch.when;
  if (isDynamic(when)) return [];
  switch (branch.operator) {
    case "gt":
    case "lt":
      return isNumber(when) ? [] : [error(at, `${which} compares with "${branch.operator}", so "when" must be a number, not "${when}"`)];
    case "in_range": {
      const range = parseRange(when);
      if (range === undefined) return [error(at, `${which} uses in_range, so "when" must be a range "min-max" such as "3-7", not "${when}"`)];
      return range.min > range.max ? [error(at, `${which} has the empty range "${when}": its minimum is above its maximum`)] : [];
    }
    case "edge_traversed_at_least":
      return /^\s*\d+\s*$/.test(when)
        ? []
        : [error(at, `${which} uses edge_traversed_at_least, so "when" must be a whole number of traversals, not "${when}"`)];
    default:
      return [];
  }
}

function isNumber(text: string): boolean {
  return text.trim() !== "" && Number.isFinite(Number(text));
}

/** An edge must name a transition that some branch (or the failure route) of its `from` task takes. */
function edgeProblems(edge: string, at: string, which: string, scope: Scope): Problem[] {
  if (isDynamic(edge)) return [];
  const ends = normalizeEdge(edge).split("->");
  const [from, to] = ends;
  if (ends.length !== 2 || !from || !to) {
    return [error(at, `${which} counts edge "${edge}", which is not of the form "from->to", e.g. "chat->run_tools"`)];
  }
  const source = scope.taskById(from);
  if (source === undefined) {
    return [error(at, `${which} counts edge "${edge}", but "${from}" is not a task in this chain ${scope.taskList}`)];
  }
  const { onSuccess, onFailure } = targetsOf(source);
  if ([...onSuccess, ...onFailure].includes(isEnd(to) ? END : to)) return [];
  return [error(at, `${which} counts edge "${edge}", a transition that does not exist: no branch of task "${from}" goes to "${to}"`)];
}

/** Where a task's branches and failure route lead: task ids, or END for the end of the run. */
function targetsOf(task: Task): { onSuccess: string[]; onFailure: string[] } {
  const onSuccess = (task.transition?.branches ?? []).map((branch) => (isEnd(branch.goto) ? END : branch.goto));
  const failure = task.transition?.on_failure;
  return { onSuccess, onFailure: failure === undefined ? [] : [isEnd(failure) ? END : failure] };
}

// -------------------------------------------------------------------------------------------
// The chain as a graph
// -------------------------------------------------------------------------------------------

function reachabilityProblems(chain: Chain, scope: Scope): Problem[] {
  const first = chain.tasks[0];
  if (first === undefined) return [];
  const tasks = [...scope.indexOf.entries()].flatMap(([id, index]) => {
    const task = chain.tasks[index];
    return task === undefined ? [] : [{ id, index, task }];
  });
  // A goto only known at run time could lead anywhere, so it links to every task and the end.
  const successors = (task: Task, withFailures: boolean): string[] => {
    const { onSuccess, onFailure } = targetsOf(task);
    const targets = withFailures ? [...onSuccess, ...onFailure] : onSuccess;
    return targets.some(isDynamic) ? [...scope.indexOf.keys(), END] : targets;
  };

  const reached = closure([first.id], (id) => {
    const task = scope.taskById(id);
    return task === undefined ? [] : successors(task, true);
  });
  const problems: Problem[] = tasks
    .filter(({ id }) => !reached.has(id))
    .map(({ id, index }) =>
      warning(`tasks[${index}]`, `task "${id}" is never reached: no branch or on_failure leads to it from the first task "${first.id}"`),
    );

  // A run ends at END, at a raise_error task, at a task without branches, or at a goto to a
  // missing task (already an error). Failure routes do not count: a loop left only by failing
  // still never finishes on its own.
  const finishes = (task: Task, targets: string[]) =>
    task.handler === "raise_error" || targets.length === 0 || targets.some((target) => target === END || !scope.indexOf.has(target));
  const exits = tasks.filter(({ task }) => finishes(task, successors(task, false))).map(({ id }) => id);
  const predecessors = new Map<string, string[]>();
  for (const { id, task } of tasks) {
    for (const target of successors(task, false)) predecessors.set(target, [...(predecessors.get(target) ?? []), id]);
  }
  const canFinish = closure(exits, (id) => predecessors.get(id) ?? []);
  const stuck = tasks.filter(({ id }) => reached.has(id) && !canFinish.has(id));
  const firstStuck = stuck[0];
  if (firstStuck !== undefined) {
    const names = stuck.map(({ id }) => `"${id}"`).join(", ");
    const subject = stuck.length === 1 ? `task ${names} loops forever` : `tasks ${names} loop forever`;
    problems.push(
      warning(
        `tasks[${firstStuck.index}]`,
        `${subject}: no branch path from ${stuck.length === 1 ? "it" : "them"} reaches "${END}" or a raise_error task, so a run only stops at its step limit; add a way out, e.g. an edge_traversed_at_least branch`,
      ),
    );
  }
  return problems;
}

/** Every node reachable from `start` through `next`, including `start`. */
function closure(start: string[], next: (node: string) => string[]): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    for (const target of next(node)) {
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return seen;
}
