import { describe, expect, it } from "vitest";
import { formatPath, parseChain, parseChainText } from "../../src/engine/parse";
import type { Problem } from "../../src/engine/errors";

const at = (problems: Problem[], path: string) => problems.filter((problem) => problem.path === path);

describe("parseChain", () => {
  it("accepts pass_clients_tools beside a task's fields without a warning", () => {
    const { chain, problems } = parseChain({ id: "c", tasks: [{ id: "t", handler: "chat_completion", pass_clients_tools: true }] });
    expect(problems).toEqual([]);
    expect(chain?.tasks[0]?.execute_config).toEqual({ pass_clients_tools: true });
  });
});

describe("parseChainText", () => {
  it("reads JSONC: line and block comments and trailing commas", () => {
    const { chain, problems } = parseChainText(`
      // a chain with comments
      {
        "id": "c", /* inline */
        "tasks": [
          { "id": "t", "handler": "noop", }, // trailing comma in the object
        ],
      }`);
    expect(problems).toEqual([]);
    expect(chain).toEqual({ id: "c", tasks: [{ id: "t", handler: "noop" }] });
  });

  it("reports a syntax error with its line and column", () => {
    const text = ['{', '  "id": "c",', '  "tasks": []', '  "description": "x"', "}"].join("\n");
    const { chain, problems } = parseChainText(text);
    expect(chain).toBeUndefined();
    expect(problems).toEqual([{ severity: "error", path: "", message: 'syntax error at 4:3 (line 4, column 3): expected "," between entries' }]);
  });

  it("counts columns from the start of the line the error is on", () => {
    const { problems } = parseChainText('{\n  "id": "c",\n  "tasks": [1, 2,, 3]\n}');
    expect(problems[0]?.message).toMatch(/^syntax error at 3:18 /);
  });

  it("says so when the text is empty", () => {
    expect(parseChainText("  \n").problems[0]?.message).toContain("the chain text is empty");
  });

  it("hands valid JSONC to the schema, so shape problems carry paths", () => {
    const { problems } = parseChainText(`{ "id": "c", "tasks": [ { "id": "t" } ] }`);
    expect(problems).toEqual([
      { severity: "error", path: "tasks[0].handler", message: 'task "t": "handler" is required: it says what the task does, e.g. "chat_completion"' },
    ]);
  });
});

describe("parseChain", () => {
  it("returns the normalised chain with no problems for a valid value", () => {
    const { chain, problems } = parseChain({ id: "c", tasks: [{ id: "t", handler: "raw_string", promptTemplate: "hi" }] });
    expect(problems).toEqual([]);
    expect(chain).toEqual({ id: "c", tasks: [{ id: "t", handler: "prompt_to_string", prompt_template: "hi" }] });
  });

  it("reports every shape problem at once, each with its JSON path and a plain sentence", () => {
    const { chain, problems } = parseChain({
      id: "",
      tasks: [
        { id: "chat", handler: "chat_completion", execute_config: { max_tokens: "lots", tools: ["a", 7] } },
        {
          id: "route",
          handler: "noop",
          transition: { branches: [{ operator: "equals", when: "x", goto: true }, { when: "y", goto: "end" }] },
        },
        5,
      ],
    });
    expect(chain).toBeUndefined();
    expect(problems.map(({ path, message }) => [path, message])).toEqual([
      ["id", '"id" must not be empty'],
      ["tasks[0].execute_config.tools[1]", 'task "chat": "tools[1]" must be text, not number 7'],
      ["tasks[0].execute_config.max_tokens", 'task "chat": "max_tokens" must be a number, not the text "lots"'],
      ["tasks[1].transition.branches[0].goto", 'task "route": "goto" must be text, not boolean true'],
      [
        "tasks[1].transition.branches[1].operator",
        'task "route": "operator" is required on every branch: one of equals, contains, starts_with, ends_with, gt, lt, in_range, edge_traversed_at_least, default',
      ],
      ["tasks[2]", '"tasks[2]" must be an object, not number 5'],
    ]);
    expect(problems.every((problem) => problem.severity === "error")).toBe(true);
    expect(problems.some((problem) => problem.message.includes("Invalid input"))).toBe(false);
  });

  it("explains a document that is not an object at all", () => {
    expect(parseChain([1, 2]).problems).toEqual([
      { severity: "error", path: "", message: 'a chain must be a JSON object with "id" and "tasks", not a list' },
    ]);
  });

  it("reports numbers out of range with the limit, and fractions where whole numbers belong", () => {
    const { problems } = parseChain({ id: "c", token_limit: 0, tasks: [{ id: "t", handler: "noop", retry_on_failure: 1.5, execute_config: { top_p: 2 } }] });
    expect(problems.map((problem) => problem.message)).toEqual([
      '"token_limit" must be greater than 0, not number 0',
      'task "t": "top_p" must be at most 1, not number 2',
      'task "t": "retry_on_failure" must be a whole number, not number 1.5',
    ]);
  });

  it("turns a misspelt field into an error that suggests the right name", () => {
    const { problems } = parseChain({ id: "c", tasks: [{ id: "t", hanlder: "noop" }] });
    expect(at(problems, "tasks[0].hanlder")).toEqual([
      { severity: "error", path: "tasks[0].hanlder", message: 'task "t": unknown field "hanlder" — did you mean "handler"? As written it is ignored' },
    ]);
    expect(at(problems, "tasks[0].handler")[0]?.severity).toBe("error");
  });

  it("still returns the chain when a misspelt optional field is the only problem", () => {
    const { chain, problems } = parseChain({ id: "c", tasks: [{ id: "t", handler: "noop", retry_on_failrue: 3 }] });
    expect(chain).toEqual({ id: "c", tasks: [{ id: "t", handler: "noop" }] });
    expect(problems).toEqual([
      {
        severity: "error",
        path: "tasks[0].retry_on_failrue",
        message: 'task "t": unknown field "retry_on_failrue" — did you mean "retry_on_failure"? As written it is ignored',
      },
    ]);
  });

  it("warns about unknown fields without rejecting the chain", () => {
    const { chain, problems } = parseChain({ id: "c", debug: true, tasks: [{ id: "t", handler: "noop", "owner team": "x" }] });
    expect(chain?.id).toBe("c");
    expect(problems).toEqual([
      { severity: "warning", path: "debug", message: 'unknown field "debug" is not part of a chain and is ignored' },
      { severity: "warning", path: 'tasks[0]["owner team"]', message: 'task "t": unknown field "owner team" is not part of a task and is ignored' },
    ]);
  });

  it("points at the right object for a field written one level too high", () => {
    const { problems } = parseChain({ id: "c", tasks: [{ id: "t", handler: "noop", model: "gpt", branches: [] }] });
    expect(problems.map(({ path, severity, message }) => ({ path, severity, message }))).toEqual([
      { path: "tasks[0].model", severity: "warning", message: 'task "t": unknown field "model" — it belongs inside "execute_config"; as written it is ignored' },
      { path: "tasks[0].branches", severity: "warning", message: 'task "t": unknown field "branches" — it belongs inside "transition"; as written it is ignored' },
    ]);
  });

  it("leaves free-form execute_config keys alone but flags near-misses of real ones", () => {
    const { chain, problems } = parseChain({ id: "c", tasks: [{ id: "t", handler: "run_js", execute_config: { sandbox: { cpu_ms: 50 }, temprature: 1 } }] });
    expect(chain?.tasks[0]?.execute_config?.sandbox).toEqual({ cpu_ms: 50 });
    expect(problems).toEqual([
      {
        severity: "warning",
        path: "tasks[0].execute_config.temprature",
        message: 'task "t": unknown field "temprature" — did you mean "temperature"? As written it is ignored',
      },
    ]);
  });

  it("checks fields inside nested objects and lists, under their older spellings too", () => {
    const { problems } = parseChain({
      id: "c",
      tasks: [{ id: "t", handler: "noop", Transition: {}, transition: { branches: [{ operator: "default", goto: "end", gotoo: "x" }] } }],
    });
    expect(problems.map((problem) => problem.path)).toEqual(["tasks[0].Transition", "tasks[0].transition.branches[0].gotoo"]);
  });

  it("treats names that happen to be JavaScript object properties as unknown", () => {
    const { problems } = parseChain({ id: "c", tasks: [{ id: "t", handler: "toString", constructor: 1 }] });
    expect(problems.map(({ path, severity }) => [path, severity])).toEqual([
      ["tasks[0].constructor", "warning"],
      ["tasks[0].handler", "error"],
    ]);
  });

  it("warns when a field is given in both spellings and says which one counts", () => {
    const { problems } = parseChain({ id: "c", tasks: [{ id: "t", handler: "noop", input_var: "a", inputVar: "b" }] });
    expect(problems).toEqual([
      { severity: "warning", path: "tasks[0].inputVar", message: 'task "t": "inputVar" is another spelling of "input_var", which is also given; "inputVar" is ignored' },
    ]);
  });
});

describe("formatPath", () => {
  it("writes indexes in brackets, identifiers with dots and other keys quoted", () => {
    expect(formatPath(["tasks", 2, "transition", "branches", 0, "goto"])).toBe("tasks[2].transition.branches[0].goto");
    expect(formatPath(["tasks", 0, "my field"])).toBe('tasks[0]["my field"]');
    expect(formatPath([])).toBe("");
  });
});

describe("untrusted chain text", () => {
  it("refuses a __proto__ key, which the JSONC parser would turn into a prototype, with its path", () => {
    const text = '{"id": "c", "tasks": [{"id": "t", "handler": "run_js", // comment\n "execute_config": {"__proto__": {"tools": ["*"]}}}]}';
    expect(parseChainText(text)).toEqual({ problems: [{ severity: "error", path: "tasks[0].execute_config.__proto__", message: 'an object has the key "__proto__", which is not allowed' }] });
    expect(parseChain(JSON.parse(text.replace("// comment\n", "")))).toMatchObject({ problems: [{ path: "tasks[0].execute_config.__proto__" }] });
  });

  it("refuses 100,000 nested objects with a problem instead of overflowing the stack", () => {
    const text = '{"id": "c", "tasks": [], "x": ' + '{"a":'.repeat(100_000) + "1" + "}".repeat(100_001);
    const { problems } = parseChainText(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/^the JSON nests deeper than 64 levels \(at character \d+\), line 1, column \d+$/);
  });
});
