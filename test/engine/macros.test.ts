import { describe, expect, it } from "vitest";
import { thrown } from "./fakes";
import { expandMacros, expandTaskMacros, grantedToolsFor, hasMacro, type MacroEnv } from "../../src/engine/macros";
import type { Chain, Task } from "../../src/engine/chain";
import type { ToolSpec } from "../../src/engine/chat";
import { sandboxTypes } from "../../src/engine/tool-types";

const chat: Task = {
  id: "chat",
  handler: "chat_completion",
  system_instruction: "You are {{var:persona}} on {{ chain:id }}. Today is {{now:2006-01-02}}.",
  prompt_template: "{{.input}} (tools: {{toolservice:list}})",
  print: "loop {{edge_count:chat->run_tools}}",
  input_var: "{{var:persona}}",
  execute_config: {
    model: "{{var:model}}",
    provider: "{{var:provider|openai}}",
    tools: ["*", "!{{var:blocked}}"],
    max_tokens: 100,
    sandbox: { egress: { allow: ["{{var:host}}"] }, note: "{{.previous_output}}" },
  },
  hook: { name: "h", tool_name: "{{var:tool}}", args: { city: "{{var:city}}", nested: [{ at: "{{now:15:04}}" }], n: 3 } },
  transition: {
    on_failure: "{{var:persona}}",
    branches: [
      { operator: "gt", when: "{{var:threshold}}", goto: "{{var:persona}}" },
      { operator: "default", when: "", goto: "end" },
    ],
  },
};

const chain: Chain = {
  id: "support-bot",
  description: "Answers support questions",
  tasks: [{ id: "intro", handler: "noop" }, chat],
};

const env: MacroEnv = {
  vars: { persona: "a helper", blocked: "shell", host: "api.example.com", tool: "weather", city: "Oslo", threshold: "5" },
  defaults: { model: "gpt-4o-mini", provider: "default-provider" },
  now: Date.UTC(2024, 2, 9, 14, 5, 7),
  chain,
  toolNames: ["weather", "search", "shell"],
  edgeCounts: { "chat->run_tools": 4 },
};

describe("expandMacros", () => {
  it("expands a run var", () => {
    expect(expandMacros("Hi {{var:city}}!", env)).toBe("Hi Oslo!");
  });

  it("prefers run vars over configured defaults, and falls back to defaults", () => {
    expect(expandMacros("{{var:model}}", env)).toBe("gpt-4o-mini");
    expect(expandMacros("{{var:model}}", { ...env, vars: { model: "llama-3" } })).toBe("llama-3");
  });

  it("uses the fallback text only when the var is unset", () => {
    expect(expandMacros("{{var:region|eu-west}}", env)).toBe("eu-west");
    expect(expandMacros("{{ var: region | eu west }}", env)).toBe("eu west");
    expect(expandMacros("{{var:city|Paris}}", env)).toBe("Oslo");
    expect(expandMacros("[{{var:region|}}]", env)).toBe("[]");
    expect(expandMacros("{{var:provider|x}}", env)).toBe("default-provider");
  });

  it("keeps a var set to empty text empty", () => {
    expect(expandMacros("[{{var:city|Paris}}]", { ...env, vars: { city: "" } })).toBe("[]");
  });

  it("throws missing_var naming an unset var", () => {
    const error = thrown(() => expandMacros("Region: {{var:region}}", env));
    expect(error.type).toBe("missing_var");
    expect(error.message).toContain('"region"');
    expect(error.message).toContain("{{var:region|fallback}}");
  });

  it("does not read inherited properties as vars", () => {
    expect(thrown(() => expandMacros("{{var:constructor}}", env)).type).toBe("missing_var");
  });

  it("formats now with a Go layout, RFC 3339 by default", () => {
    expect(expandMacros("{{now}}", env)).toBe("2024-03-09T14:05:07Z");
    expect(expandMacros("{{ now }}", env)).toBe("2024-03-09T14:05:07Z");
    expect(expandMacros("{{now:2006-01-02 15:04:05}}", env)).toBe("2024-03-09 14:05:07");
    expect(expandMacros("{{now:Monday, January 2, 2006}}", env)).toBe("Saturday, March 9, 2024");
    expect(expandMacros("{{ now : 3:04PM }}", env)).toBe("2:05PM");
  });

  it("expands chain fields", () => {
    expect(expandMacros("{{chain:id}}: {{chain:description}}", env)).toBe("support-bot: Answers support questions");
    expect(expandMacros("[{{chain:description}}]", { ...env, chain: { id: "c", tasks: [] } })).toBe("[]");
  });

  it("lists registered tools", () => {
    expect(expandMacros("Tools: {{toolservice:list}}", env)).toBe("Tools: weather, search, shell");
    expect(expandMacros("[{{toolservice:list}}]", { ...env, toolNames: [] })).toBe("[]");
  });

  it("counts edge traversals, 0 for an edge never taken", () => {
    expect(expandMacros("{{edge_count:chat->run_tools}}", env)).toBe("4");
    expect(expandMacros("{{ edge_count: chat -> run_tools }}", env)).toBe("4");
    expect(expandMacros("{{edge_count:chat->end}}", env)).toBe("0");
    expect(expandMacros("{{edge_count:chat->run_tools}}", { ...env, edgeCounts: { "chat->run_tools": 5 } })).toBe("5");
  });

  it("leaves templates, Go actions and unknown macros untouched", () => {
    const text = "{{.input}} {{ .previous_output }} {{if .x}}{{end}} {{secret:key}} {{chain:owner}} {{toolservice:count}}";
    expect(expandMacros(text, env)).toBe(text);
  });

  it("does not expand macros inside a var's value", () => {
    expect(expandMacros("{{var:city}}", { ...env, vars: { city: "{{var:persona}}" } })).toBe("{{var:persona}}");
  });
});

describe("hasMacro", () => {
  it("detects known macros only", () => {
    expect(hasMacro("x {{var:a}}")).toBe(true);
    expect(hasMacro("{{ now }}")).toBe(true);
    expect(hasMacro("{{edge_count:a->b}}")).toBe(true);
    expect(hasMacro("{{.input}}")).toBe(false);
    expect(hasMacro("{{secret:key}}")).toBe(false);
    expect(hasMacro("plain")).toBe(false);
  });
});

describe("expandTaskMacros", () => {
  it("expands every string field, however deeply nested", () => {
    const expanded = expandTaskMacros(chat, env);
    expect(expanded.system_instruction).toBe("You are a helper on support-bot. Today is 2024-03-09.");
    expect(expanded.prompt_template).toBe("{{.input}} (tools: weather, search, shell)");
    expect(expanded.print).toBe("loop 4");
    expect(expanded.execute_config).toEqual({
      model: "gpt-4o-mini",
      provider: "default-provider",
      tools: ["*", "!shell"],
      max_tokens: 100,
      sandbox: { egress: { allow: ["api.example.com"] }, note: "{{.previous_output}}" },
    });
    expect(expanded.hook).toEqual({ name: "h", tool_name: "weather", args: { city: "Oslo", nested: [{ at: "14:05" }], n: 3 } });
    expect(expanded.transition?.branches[0]?.when).toBe("5");
  });

  it("leaves task references as written", () => {
    const expanded = expandTaskMacros(chat, env);
    expect(expanded.id).toBe("chat");
    expect(expanded.handler).toBe("chat_completion");
    expect(expanded.input_var).toBe("{{var:persona}}");
    expect(expanded.transition?.on_failure).toBe("{{var:persona}}");
    expect(expanded.transition?.branches[0]?.goto).toBe("{{var:persona}}");
  });

  it("returns a new task and leaves the original unchanged", () => {
    const before = structuredClone(chat);
    const expanded = expandTaskMacros(chat, env);
    expect(expanded).not.toBe(chat);
    expect(expanded.execute_config).not.toBe(chat.execute_config);
    expect(chat).toEqual(before);
  });

  it("says which task field needs a missing var", () => {
    const error = thrown(() => expandTaskMacros(chat, { ...env, defaults: {} }));
    expect(error.type).toBe("missing_var");
    expect(error.message).toContain('"model"');
    expect(error.message).toContain('task "chat" execute_config.model');
    expect(error.options.path).toBe("tasks[1].execute_config.model");
  });

  it("names array positions in the field path", () => {
    const { blocked: _blocked, ...vars } = env.vars;
    const error = thrown(() => expandTaskMacros(chat, { ...env, vars }));
    expect(error.message).toContain('task "chat" execute_config.tools[1]');
    expect(error.options.path).toBe("tasks[1].execute_config.tools[1]");
  });
});

describe("{{tools:typescript}}", () => {
  const lookup: ToolSpec = { name: "crm__lookup", description: "Finds a customer.", parameters: { type: "object", properties: { email: { type: "string" } }, required: ["email"] } };
  const writer: Task = {
    id: "generate_js",
    handler: "prompt_to_js",
    system_instruction: "Write a program. API:\n{{tools:typescript}}",
    execute_config: { tools: ["crm", "!{{var:blocked}}"] },
  };
  const asked: Array<string[] | undefined> = [];
  const registry = {
    async list(grant: string[] | undefined) {
      asked.push(grant);
      return [lookup];
    },
  };

  it("expands to the sandbox API with the granted tools, typed from their schemas", () => {
    const text = expandMacros("API:\n{{ tools:typescript }}", { ...env, grantedTools: [lookup] });
    expect(text).toBe(`API:\n${sandboxTypes([lookup])}`);
    expect(text).toContain("declare const tools: {\n  crm: {\n    /** Finds a customer. */\n    lookup(args: {");
  });

  it("is left as written when the step did not list the granted tools, and for other formats", () => {
    expect(expandMacros("{{tools:typescript}}", env)).toBe("{{tools:typescript}}");
    expect(expandMacros("{{tools:python}}", { ...env, grantedTools: [lookup] })).toBe("{{tools:python}}");
  });

  it("lists the task's own grant, with macros in it expanded, only for tasks that use the macro", async () => {
    asked.length = 0;
    expect(await grantedToolsFor(writer, env, registry)).toEqual([lookup]);
    expect(asked).toEqual([["crm", "!shell"]]);
    expect(await grantedToolsFor({ ...writer, system_instruction: "No API here." }, env, registry)).toBeUndefined();
    expect(asked).toHaveLength(1);
  });
});

describe("{{contract}}", () => {
  const contract = { text: 'Domain contract "orders" (version 1)', notes: { crm__lookup: ["Contract rule privacy: Look customers up only by email."] } };
  const lookup: ToolSpec = { name: "crm__lookup", description: "Finds a customer.", parameters: { type: "object", properties: { email: { type: "string" } }, required: ["email"] } };

  it("expands to the contract governing the task, and stays as written when none does", () => {
    expect(expandMacros("Rules:\n{{ contract }}", { ...env, contract })).toBe('Rules:\nDomain contract "orders" (version 1)');
    expect(expandMacros("Rules:\n{{contract}}", env)).toBe("Rules:\n{{contract}}");
  });

  it("adds the contract's notes to the doc comments of the operations {{tools:typescript}} declares", () => {
    const text = expandMacros("{{tools:typescript}}", { ...env, grantedTools: [lookup], contract });
    expect(text).toContain("    /**\n     * Finds a customer.\n     * Contract rule privacy: Look customers up only by email.\n     */\n    lookup(args: {");
  });
});
