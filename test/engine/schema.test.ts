import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import { ChainSchema, FORMAT_LEVELS, HANDLER_ALIASES, OPERATOR_ALIASES, closestMatch } from "../../src/engine/schema";
import type { Chain, ExecuteConfig, Task } from "../../src/engine/chain";

type Output = z.output<typeof ChainSchema>;
type OutputTask = Output["tasks"][number];
// execute_config is open (free-form handler settings); compare its named fields and its openness.
type NamedFields<T> = { [K in keyof T as string extends K ? never : K]: T[K] };

const parse = (value: unknown) => ChainSchema.safeParse(value);

const oneTask = (task: Record<string, unknown>) => ({ id: "c", tasks: [{ id: "t", handler: "noop", ...task }] });

describe("ChainSchema", () => {
  it("produces the normalised Chain for a chain in the documented spelling", () => {
    const written: Chain = {
      id: "default-chain",
      description: "d",
      token_limit: 8192,
      max_steps: 50,
      tasks: [
        {
          id: "chat",
          handler: "chat_completion",
          system_instruction: "You are helpful.",
          execute_config: {
            model: "{{var:model}}",
            tools: ["*", "!shell"],
            max_tokens: 1024,
            temperature: 0.2,
            retry_policy: { max_attempts: 3, initial_backoff: "1s", max_backoff: "30s", jitter: 0.2, fallback_model_id: "small", fallback_after: 2 },
          },
          transition: {
            on_failure: "bail",
            branches: [
              { operator: "edge_traversed_at_least", edge: "chat->run_tools", when: "20", goto: "end" },
              { operator: "equals", when: "tool-call", goto: "run_tools" },
              { operator: "default", when: "", goto: "end" },
            ],
          },
        },
        { id: "run_tools", handler: "execute_tool_calls", input_var: "chat", transition: { branches: [{ operator: "default", when: "", goto: "chat" }] } },
        { id: "bail", handler: "raise_error", prompt_template: "failed", timeout: "5s", retry_on_failure: 1, print: "p", valid_conditions: ["a"] },
      ],
    };
    const result = parse(written);
    expect(result.success).toBe(true);
    expect(result.data).toEqual(written);
    // Checked by the type checker: the schema's output is exactly the engine's Chain.
    expectTypeOf<Omit<Output, "tasks">>().toEqualTypeOf<Omit<Chain, "tasks">>();
    expectTypeOf<Omit<OutputTask, "execute_config">>().toEqualTypeOf<Omit<Task, "execute_config">>();
    expectTypeOf<NamedFields<NonNullable<OutputTask["execute_config"]>>>().toEqualTypeOf<NamedFields<ExecuteConfig>>();
    expectTypeOf<NonNullable<OutputTask["execute_config"]>>().toExtend<Record<string, unknown>>();
  });

  it("maps older Contenox spellings of every object onto the documented names", () => {
    const result = parse({
      id: "legacy",
      tokenLimit: 4096,
      maxSteps: 30,
      tasks: [
        {
          id: "ask",
          type: "raw_string",
          systemInstruction: "s",
          promptTemplate: "p {{.input}}",
          outputTemplate: "o",
          inputVar: "input",
          retryOnFailure: 2,
          validConditions: { yes: true, no: true, maybe: false },
          executeConfig: {
            maxTokens: 100,
            topP: 0.9,
            passClientsTools: true,
            onTokenLimit: "fail",
            hooks: ["search"],
            retryPolicy: { maxAttempts: 2, initialBackoff: "2s", maxBackoff: "4s", fallbackModelId: "m2", fallbackAfter: 1 },
          },
          transition: { onFailure: "call", branches: [{ operator: ">", when: 5, goto: "call" }, { operator: "<", when: "0", goto: "end" }] },
        },
        { id: "call", handler: "tools", tools: { type: "mail", toolName: "send", args: { to: "a@b.c" } } },
      ],
    });
    expect(result.success).toBe(true);
    expect(result.data).toEqual({
      id: "legacy",
      token_limit: 4096,
      max_steps: 30,
      tasks: [
        {
          id: "ask",
          handler: "prompt_to_string",
          system_instruction: "s",
          prompt_template: "p {{.input}}",
          output_template: "o",
          input_var: "input",
          retry_on_failure: 2,
          valid_conditions: ["yes", "no"],
          execute_config: {
            max_tokens: 100,
            top_p: 0.9,
            pass_clients_tools: true,
            on_token_limit: "fail",
            tools: ["search"],
            retry_policy: { max_attempts: 2, initial_backoff: "2s", max_backoff: "4s", jitter: 0.2, fallback_model_id: "m2", fallback_after: 1 },
          },
          transition: {
            on_failure: "call",
            branches: [
              { operator: "gt", when: "5", goto: "call" },
              { operator: "lt", when: "0", goto: "end" },
            ],
          },
        },
        { id: "call", handler: "hook", hook: { name: "mail", tool_name: "send", args: { to: "a@b.c" } } },
      ],
    });
  });

  it("reads pass_clients_tools written beside the task's fields as part of its execute_config", () => {
    expect(parse(oneTask({ pass_clients_tools: true })).data?.tasks[0]?.execute_config).toEqual({ pass_clients_tools: true });
    expect(parse(oneTask({ passClientsTools: true, execute_config: { max_tokens: 5 } })).data?.tasks[0]?.execute_config).toEqual({ pass_clients_tools: true, max_tokens: 5 });
    expect(parse(oneTask({ pass_clients_tools: true, execute_config: { pass_clients_tools: false } })).data?.tasks[0]?.execute_config).toEqual({ pass_clients_tools: false });
  });

  it.each(Object.entries(HANDLER_ALIASES))("reads the legacy handler %s as %s", (legacy, current) => {
    const result = parse(oneTask({ handler: legacy }));
    expect(result.data?.tasks[0]?.handler).toBe(current);
  });

  it.each(Object.entries(OPERATOR_ALIASES))("reads the operator %s as %s", (legacy, current) => {
    const result = parse(oneTask({ transition: { branches: [{ operator: legacy, when: "1", goto: "end" }] } }));
    expect(result.data?.tasks[0]?.transition?.branches[0]?.operator).toBe(current);
  });

  it("keeps the documented spelling when a field is also given in an older one", () => {
    const result = parse(oneTask({ system_instruction: "new", systemInstruction: "old" }));
    expect(result.data?.tasks[0]?.system_instruction).toBe("new");
  });

  it("fills defaults: empty when, no branches, empty hook args, the design's retry settings", () => {
    const result = parse({
      id: "c",
      tasks: [
        { id: "a", handler: "noop", transition: { branches: [{ operator: "default", goto: "b" }] } },
        { id: "b", handler: "hook", hook: { name: "svc", tool_name: "ping" }, transition: {} },
        { id: "d", handler: "chat_completion", execute_config: { retry_policy: { fallback_model_id: "small" } } },
      ],
    });
    expect(result.data?.tasks[0]?.transition?.branches[0]).toEqual({ operator: "default", when: "", goto: "b" });
    expect(result.data?.tasks[1]?.hook?.args).toEqual({});
    expect(result.data?.tasks[1]?.transition).toEqual({ branches: [] });
    expect(result.data?.tasks[2]?.execute_config?.retry_policy).toEqual({
      max_attempts: 3,
      initial_backoff: "1s",
      max_backoff: "30s",
      jitter: 0.2,
      fallback_model_id: "small",
    });
  });

  it("accepts numbers written as text where the format wants numbers, and numbers where it wants text", () => {
    const result = parse({
      id: "c",
      token_limit: "2048",
      tasks: [{ id: "a", handler: "noop", execute_config: { max_tokens: "512" }, transition: { branches: [{ operator: "gt", when: 3, goto: "end" }] } }],
    });
    expect(result.data?.token_limit).toBe(2048);
    expect(result.data?.tasks[0]?.execute_config?.max_tokens).toBe(512);
    expect(result.data?.tasks[0]?.transition?.branches[0]?.when).toBe("3");
  });

  it("drops unknown task keys but keeps free-form execute_config settings for handlers", () => {
    const result = parse(oneTask({ notes: "x", execute_config: { sandbox: { memory_mb: 64 } } }));
    expect(result.success).toBe(true);
    expect(result.data?.tasks[0]).not.toHaveProperty("notes");
    expect(result.data?.tasks[0]?.execute_config).toEqual({ sandbox: { memory_mb: 64 } });
  });

  it("rejects an unknown handler, suggesting the closest one and listing all", () => {
    const result = parse(oneTask({ handler: "chat_complete" }));
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path).toEqual(["tasks", 0, "handler"]);
    expect(issue?.message).toContain('unknown handler "chat_complete" — did you mean "chat_completion"?');
    expect(issue?.message).toContain("prompt_to_string");
  });

  it("rejects a branch without an operator, listing the operators", () => {
    const result = parse(oneTask({ transition: { branches: [{ when: "x", goto: "end" }] } }));
    const issue = result.error?.issues[0];
    expect(issue?.path).toEqual(["tasks", 0, "transition", "branches", 0, "operator"]);
    expect(issue?.message).toContain('"operator" is required');
    expect(issue?.message).toContain("edge_traversed_at_least");
  });

  it("rejects an unknown operator and a chain without tasks", () => {
    expect(parse(oneTask({ transition: { branches: [{ operator: "equal", goto: "end" }] } })).error?.issues[0]?.message).toContain(
      'unknown operator "equal" — did you mean "equals"?',
    );
    expect(parse({ id: "c", tasks: [] }).error?.issues[0]?.message).toBe("a chain needs at least one task");
  });
});

describe("FORMAT_LEVELS", () => {
  it("lists each object's fields and the camelCase and legacy spellings it accepts", () => {
    expect(FORMAT_LEVELS.task.fields).toContain("system_instruction");
    expect(FORMAT_LEVELS.task.aliases).toMatchObject({ systemInstruction: "system_instruction", type: "handler", tools: "hook" });
    expect(FORMAT_LEVELS.execute_config.aliases).toMatchObject({ hooks: "tools", maxTokens: "max_tokens" });
    expect(FORMAT_LEVELS.execute_config.open).toBe(true);
    expect(FORMAT_LEVELS.task.open).toBe(false);
  });
});

describe("closestMatch", () => {
  it("finds a misspelling about one edit per four letters away, counting a swap of neighbours as one", () => {
    expect(closestMatch("hanlder", ["handler", "hook"])).toBe("handler");
    expect(closestMatch("sytem_instruction", ["system_instruction"])).toBe("system_instruction");
    expect(closestMatch("Handler", ["handler"])).toBe("handler");
    expect(closestMatch("chat_complete", ["chat_completion", "route"])).toBe("chat_completion");
  });

  it("suggests nothing for words that are merely different", () => {
    expect(closestMatch("banana", ["handler", "hook"])).toBeUndefined();
    expect(closestMatch("ab", ["id"])).toBeUndefined();
  });
});
