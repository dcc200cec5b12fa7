import { describe, expect, it } from "vitest";
import { checkChain, validateChain } from "../../src/engine/validate";
import type { Branch, Chain, Operator, Task } from "../../src/engine/chain";
import type { Problem } from "../../src/engine/errors";

const chainOf = (...tasks: Task[]): Chain => ({ id: "test-chain", tasks });
const branch = (operator: Operator, goto: string, when = "", edge?: string): Branch =>
  edge === undefined ? { operator, when, goto } : { operator, when, goto, edge };
const task = (id: string, branches?: Branch[], extra: Partial<Task> = {}): Task => ({
  id,
  handler: "noop",
  ...(branches === undefined ? {} : { transition: { branches } }),
  ...extra,
});

/** The chat <-> tools loop of the design, with a cap; valid as it stands. */
const toolLoop = (): Chain =>
  chainOf(
    task("chat", [branch("equals", "run_tools", "tool-call"), branch("default", "end")], {
      handler: "chat_completion",
      execute_config: { model: "{{var:model}}", tools: ["*"] },
    }),
    task("run_tools", [branch("edge_traversed_at_least", "summarize", "20", "chat->run_tools"), branch("default", "chat")], {
      handler: "execute_tool_calls",
      input_var: "chat",
    }),
    task("summarize", undefined, { handler: "chat_completion" }),
  );

/** The one problem at `path`; fails the test when there is none or several. */
function only(problems: Problem[], path: string): Problem {
  const found = problems.filter((problem) => problem.path === path);
  expect(found, `problems at ${path}: ${JSON.stringify(problems)}`).toHaveLength(1);
  return found[0] as Problem;
}

describe("validateChain", () => {
  it("finds nothing wrong with a capped chat and tools loop", () => {
    expect(validateChain(toolLoop())).toEqual([]);
  });

  it("needs nothing extra on a chat_completion task, and a task without transition ends the run", () => {
    expect(validateChain(chainOf(task("chat", undefined, { handler: "chat_completion" })))).toEqual([]);
    expect(validateChain(chainOf(task("a", [branch("default", "b")]), task("b", [])))).toEqual([]);
  });

  it("reports a template reference to a task the chain does not have, at the field", () => {
    const chain = chainOf(
      task("first", [branch("default", "second")], { prompt_template: "{{.input}} and {{.previous_output}}" }),
      task("second", [branch("default", "end")], { handler: "print", print: "{{.first}} {{ .ghost.field }}", output_template: "{{.ghost}}{{.second}}" }),
    );
    const problems = validateChain(chain);
    expect(problems.map((p) => p.path).sort()).toEqual(["tasks[1].output_template", "tasks[1].print"]);
    expect(only(problems, "tasks[1].print")).toEqual({
      severity: "error",
      path: "tasks[1].print",
      message: 'task "second" reads {{.ghost}} in print, but "ghost" is not a task of this chain (tasks: first, second); use {{.input}}, {{.previous_output}} or a task id',
    });
  });

  it("reports a template reference to a missing task inside hook arguments", () => {
    const hooked = task("call", undefined, { handler: "hook", hook: { name: "h", tool_name: "t", args: { q: ["{{.nowhere.x}}"] } } });
    expect(only(validateChain(chainOf(hooked)), "tasks[0].hook.args").message).toContain('"nowhere" is not a task');
  });

  it("reports a duplicate task id at the later task", () => {
    const problem = only(validateChain(chainOf(task("a", [branch("default", "end")]), task("a"))), "tasks[1].id");
    expect(problem.severity).toBe("error");
    expect(problem.message).toBe('task id "a" is already used by tasks[0]; task ids must be unique');
  });

  it("reports a goto naming no task, listing the tasks there are", () => {
    const chain = toolLoop();
    chain.tasks[2] = task("summarize", [branch("default", "sumary")]);
    const problem = only(validateChain(chain), "tasks[2].transition.branches[0].goto");
    expect(problem).toEqual({
      severity: "error",
      path: "tasks[2].transition.branches[0].goto",
      message: 'task "summarize" goes to "sumary", which is not a task in this chain (tasks: chat, run_tools, summarize)',
    });
  });

  it('treats goto "end" and an empty goto as the end of the run', () => {
    expect(validateChain(chainOf(task("a", [branch("equals", "end", "x"), branch("default", "")])))).toEqual([]);
  });

  it("reports an on_failure naming no task", () => {
    const chain = chainOf({ ...task("a", [branch("default", "end")]), transition: { on_failure: "bail", branches: [branch("default", "end")] } });
    const problem = only(validateChain(chain), "tasks[0].transition.on_failure");
    expect(problem.severity).toBe("error");
    expect(problem.message).toBe('task "a" sends failures to "bail", which is not a task in this chain (tasks: a)');
  });

  it("warns about an input_var that names no task (it may still be a run var) but accepts tasks and input", () => {
    const problem = only(validateChain(chainOf(task("a", undefined, { input_var: "chatt" }))), "tasks[0].input_var");
    expect(problem.severity).toBe("warning");
    expect(problem.message).toContain('input_var "chatt", which is not a task in this chain (tasks: a)');
    expect(validateChain(chainOf(task("a", [branch("default", "b")], { input_var: "input" }), task("b", undefined, { input_var: "a" })))).toEqual([]);
  });

  it("reports an edge that counts a transition no branch takes", () => {
    const chain = toolLoop();
    const runTools = chain.tasks[1] as Task;
    runTools.transition = { branches: [branch("edge_traversed_at_least", "summarize", "20", "chat->summarize"), branch("default", "chat")] };
    const problem = only(validateChain(chain), "tasks[1].transition.branches[0].edge");
    expect(problem.severity).toBe("error");
    expect(problem.message).toBe(
      'branch 0 of task "run_tools" counts edge "chat->summarize", a transition that does not exist: no branch of task "chat" goes to "summarize"',
    );
  });

  it("accepts edges written with spaces and edges of failure routes", () => {
    const chain = chainOf(
      { ...task("a", [branch("edge_traversed_at_least", "end", "2", "a -> b"), branch("default", "b")]), transition: { on_failure: "c", branches: [branch("edge_traversed_at_least", "end", "1", "a->c"), branch("default", "b")] } },
      task("b", [branch("default", "end")]),
      task("c", undefined, { handler: "raise_error" }),
    );
    expect(validateChain(chain)).toEqual([]);
  });

  it("reports an edge that is not from->to or starts at no task", () => {
    const chain = chainOf(
      task("a", [branch("edge_traversed_at_least", "end", "1", "a-b"), branch("edge_traversed_at_least", "end", "1", "x->a"), branch("default", "end")]),
    );
    const problems = validateChain(chain);
    expect(only(problems, "tasks[0].transition.branches[0].edge").message).toContain('edge "a-b", which is not of the form "from->to"');
    expect(only(problems, "tasks[0].transition.branches[1].edge").message).toBe(
      'branch 1 of task "a" counts edge "x->a", but "x" is not a task in this chain (tasks: a)',
    );
  });

  it("reports edge_traversed_at_least without an edge, or with a threshold that is not a whole number", () => {
    const chain = chainOf(task("a", [branch("edge_traversed_at_least", "end", "3"), branch("edge_traversed_at_least", "end", "lots", "a->end"), branch("default", "end")]));
    const problems = validateChain(chain);
    const missing = only(problems, "tasks[0].transition.branches[0].edge");
    expect(missing.severity).toBe("error");
    expect(missing.message).toContain('branch 0 of task "a" uses edge_traversed_at_least but has no "edge"');
    expect(only(problems, "tasks[0].transition.branches[1].when").message).toContain('"when" must be a whole number of traversals, not "lots"');
  });

  it("warns about an edge on an operator that ignores it", () => {
    const problem = only(validateChain(chainOf(task("a", [branch("equals", "end", "x", "a->end"), branch("default", "end")]))), "tasks[0].transition.branches[0].edge");
    expect(problem.severity).toBe("warning");
    expect(problem.message).toContain('with "equals" it is ignored');
  });

  it("reports an unknown handler or operator in a chain built in code", () => {
    const chain = chainOf(
      { id: "a", handler: "chat_complete", transition: { branches: [{ operator: "equal", when: "x", goto: "end" }] } } as unknown as Task,
    );
    const problems = validateChain(chain);
    expect(only(problems, "tasks[0].handler")).toEqual({
      severity: "error",
      path: "tasks[0].handler",
      message: 'task "a" has unknown handler "chat_complete" — did you mean "chat_completion"?',
    });
    expect(only(problems, "tasks[0].transition.branches[0].operator").message).toBe(
      'branch 0 of task "a" has unknown operator "equal" — did you mean "equals"?',
    );
  });

  it("reports gt and lt thresholds that are not numbers, and ranges that are not min-max", () => {
    const chain = chainOf(
      task("a", [
        branch("gt", "end", "high"),
        branch("lt", "end", "-2.5"),
        branch("in_range", "end", "3..7"),
        branch("in_range", "end", "9-3"),
        branch("in_range", "end", "-5-5"),
        branch("default", "end"),
      ]),
    );
    const problems = validateChain(chain);
    expect(problems.map((problem) => problem.path)).toEqual([
      "tasks[0].transition.branches[0].when",
      "tasks[0].transition.branches[2].when",
      "tasks[0].transition.branches[3].when",
    ]);
    expect(problems.every((problem) => problem.severity === "error")).toBe(true);
    expect(problems[0]?.message).toBe('branch 0 of task "a" compares with "gt", so "when" must be a number, not "high"');
    expect(problems[1]?.message).toContain('"when" must be a range "min-max" such as "3-7", not "3..7"');
    expect(problems[2]?.message).toContain('empty range "9-3"');
  });

  it("never judges text holding a macro", () => {
    const chain = chainOf(
      task(
        "a",
        [
          branch("gt", "end", "{{var:threshold}}"),
          branch("in_range", "end", "{{var:range}}"),
          branch("edge_traversed_at_least", "{{var:next}}", "{{var:cap}}", "{{var:edge}}"),
          branch("default", "end"),
        ],
        { input_var: "{{var:source}}", timeout: "{{var:timeout}}", execute_config: { tools: ["{{var:tool}}"] } },
      ),
    );
    expect(validateChain(chain, { knownTools: [] })).toEqual([]);
  });

  it("warns about a task no path reaches from the first task", () => {
    const problem = only(validateChain(chainOf(task("a", [branch("default", "end")]), task("orphan"))), "tasks[1]");
    expect(problem.severity).toBe("warning");
    expect(problem.message).toBe('task "orphan" is never reached: no branch or on_failure leads to it from the first task "a"');
  });

  it("counts failure routes when deciding what is reachable", () => {
    const chain = chainOf({ ...task("a"), transition: { on_failure: "bail", branches: [] } }, task("bail", undefined, { handler: "raise_error" }));
    expect(validateChain(chain)).toEqual([]);
  });

  it("warns about a loop no branch leaves, naming its tasks", () => {
    const chain = chainOf(task("start", [branch("default", "ping")]), task("ping", [branch("default", "pong")]), task("pong", [branch("default", "ping")]));
    const problem = only(validateChain(chain), "tasks[0]");
    expect(problem.severity).toBe("warning");
    expect(problem.message).toContain('tasks "start", "ping", "pong" loop forever');
  });

  it("accepts a loop left through a raise_error task, but not one left only by failing", () => {
    const raising = chainOf(
      task("ping", [branch("edge_traversed_at_least", "stop", "5", "ping->ping"), branch("default", "ping")]),
      task("stop", undefined, { handler: "raise_error" }),
    );
    expect(validateChain(raising)).toEqual([]);
    const failingOnly = chainOf(
      { ...task("ping"), transition: { on_failure: "end", branches: [branch("default", "ping")] } },
    );
    expect(only(validateChain(failingOnly), "tasks[0]").message).toContain('task "ping" loops forever');
  });

  it("warns about granted tools that are not registered, skipping *, exclusions and macros", () => {
    const chain = chainOf(task("a", undefined, { execute_config: { tools: ["*", "!shell", "serach", "fetch"] } }));
    const problem = only(validateChain(chain, { knownTools: ["search", "fetch"] }), "tasks[0].execute_config.tools[2]");
    expect(problem.severity).toBe("warning");
    expect(problem.message).toBe('task "a" grants tool "serach", which is not registered — did you mean "search"? (registered: search, fetch)');
    expect(validateChain(chain)).toEqual([]);
  });

  it("warns about a provider or group nothing configured provides, reading provider as a name or a type", () => {
    const chain = chainOf(
      task("ask", [branch("default", "embed")], { execute_config: { model: "group:fast", provider: "ollama", providers: ["edge", "{{var:p}}", "vllm"] } }),
      task("embed", undefined, { handler: "embedding", execute_config: { provider: "default" } }),
    );
    const known = { knownProviders: ["default", "openai-compatible", "edge", "workers-ai"], knownGroups: ["slow"] };
    const problems = validateChain(chain, known);
    expect(problems.map((p) => [p.severity, p.path])).toEqual([
      ["warning", "tasks[0].execute_config.provider"],
      ["warning", "tasks[0].execute_config.providers[2]"],
      ["warning", "tasks[0].execute_config.model"],
    ]);
    expect(problems[0]!.message).toBe(
      'task "ask" names provider "ollama", which is neither a configured provider nor the type of one (configured names and types: default, openai-compatible, edge, workers-ai); runs fail until one is added',
    );
    expect(problems[2]!.message).toContain('uses group "fast", which is not configured (groups: slow)');
    expect(validateChain(chain)).toEqual([]);
  });

  it("reports a hook task without a hook, and warns about a hook a non-hook task never calls", () => {
    const problems = validateChain(
      chainOf(task("call", [branch("default", "chat")], { handler: "hook" }), task("chat", undefined, { handler: "chat_completion", hook: { name: "s", tool_name: "t", args: {} } })),
    );
    const missing = only(problems, "tasks[0].hook");
    expect(missing.severity).toBe("error");
    expect(missing.message).toContain('task "call" uses the hook handler but has no "hook"');
    expect(only(problems, "tasks[1].hook").severity).toBe("warning");
  });

  it("reports durations that are not Go durations", () => {
    const chain = chainOf(
      task("a", undefined, {
        timeout: "30 seconds",
        execute_config: { retry_policy: { max_attempts: 2, initial_backoff: "1s", max_backoff: "1 minute", jitter: 0 } },
      }),
    );
    const problems = validateChain(chain);
    expect(only(problems, "tasks[0].timeout").message).toBe('task "a": timeout "30 seconds" is not a duration; write it like "30s", "500ms" or "1m30s"');
    expect(only(problems, "tasks[0].execute_config.retry_policy.max_backoff").severity).toBe("error");
  });

  it("reports ids that clash with the format: a task named end, a task id with ->, a chain id unfit for URLs", () => {
    const chain: Chain = { id: "my chain/v2", tasks: [task("a", [branch("default", "end")]), task("end"), task("a->b")] };
    const problems = validateChain(chain);
    expect(only(problems, "id").message).toContain('chain id "my chain/v2" may only contain');
    expect(only(problems, "tasks[1].id").message).toContain('task id "end" is reserved');
    expect(only(problems, "tasks[2].id").message).toContain('task id "a->b" contains "->"');
  });

  it("warns about branches after a default branch", () => {
    const problem = only(validateChain(chainOf(task("a", [branch("default", "end"), branch("equals", "end", "x")]))), "tasks[0].transition.branches[1]");
    expect(problem.severity).toBe("warning");
    expect(problem.message).toBe('branch 1 of task "a" comes after a "default" branch (branch 0), so it is never tried');
  });

  it("reports every problem at once", () => {
    const chain = chainOf(
      task("a", [branch("gt", "nowhere", "x"), branch("default", "b")], { handler: "hook" }),
      task("a"),
      task("b", undefined, { timeout: "soon" }),
    );
    expect(validateChain(chain).map((problem) => problem.path)).toEqual([
      "tasks[1].id",
      "tasks[0].hook",
      "tasks[0].transition.branches[0].goto",
      "tasks[0].transition.branches[0].when",
      "tasks[2].timeout",
    ]);
  });
});

describe("checkChain", () => {
  const text = `{
    // JSONC with older spellings
    "id": "legacy",
    "tasks": [
      { "id": "ask", "type": "raw_string", "promptTemplate": "{{.input}}",
        "transition": { "branches": [ { "operator": "default", "goto": "end" }, ] } },
    ],
  }`;

  it("parses text, normalises aliases and validates in one call", () => {
    const report = checkChain(text);
    expect(report).toEqual({
      ok: true,
      chain: { id: "legacy", tasks: [{ id: "ask", handler: "prompt_to_string", prompt_template: "{{.input}}", transition: { branches: [{ operator: "default", when: "", goto: "end" }] } }] },
      problems: [],
    });
  });

  it("accepts an already-parsed value", () => {
    expect(checkChain({ id: "c", tasks: [{ id: "t", handler: "noop" }] }).ok).toBe(true);
  });

  it("is ok with warnings but not with errors", () => {
    const warned = checkChain({ id: "c", tasks: [{ id: "t", handler: "noop" }, { id: "orphan", handler: "noop" }] });
    expect(warned.ok).toBe(true);
    expect(warned.problems.map((problem) => problem.severity)).toEqual(["warning"]);
    const failed = checkChain({ id: "c", tasks: [{ id: "t", handler: "noop", transition: { branches: [{ operator: "default", goto: "x" }] } }] });
    expect(failed.ok).toBe(false);
  });

  it("reports shape and semantic problems together when the shape allows a chain", () => {
    const report = checkChain({ id: "c", tasks: [{ id: "t", handler: "noop", retry_on_failrue: 1, transition: { branches: [{ operator: "default", goto: "x" }] } }] });
    expect(report.ok).toBe(false);
    expect(report.problems.map((problem) => problem.path)).toEqual(["tasks[0].retry_on_failrue", "tasks[0].transition.branches[0].goto"]);
  });

  it("stops at parse problems when there is no chain to validate", () => {
    const report = checkChain('{ "id": "c", "tasks": [ }');
    expect(report.ok).toBe(false);
    expect(report.chain).toBeUndefined();
    expect(report.problems[0]?.message).toMatch(/^syntax error at 1:/);
  });
});

describe("contract bindings", () => {
  it("warns about {{contract}} in a task no contract governs, and accepts it under the chain's or the task's own", () => {
    const prompt = { system_instruction: "Obey:\n{{contract}}" };
    const unbound = validateChain(chainOf(task("a", undefined, prompt)));
    expect(only(unbound, "tasks[0]")).toMatchObject({ severity: "warning", message: expect.stringContaining('uses {{contract}}, but neither it nor the chain binds a contract') });
    expect(validateChain({ ...chainOf(task("a", undefined, prompt)), contract: "orders" })).toEqual([]);
    expect(validateChain(chainOf(task("a", undefined, { ...prompt, contract: "orders" })))).toEqual([]);
  });

  it("reads a chain's and a task's contract from the document", () => {
    const report = checkChain({ id: "c", contract: "orders", tasks: [{ id: "t", handler: "noop", contract: "returns" }] });
    expect(report.chain).toMatchObject({ contract: "orders", tasks: [{ contract: "returns" }] });
  });
});
