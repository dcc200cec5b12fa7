import { describe, expect, it } from "vitest";
import { initialState } from "../../src/engine/step";
import type { Task } from "../../src/engine/chain";
import type { ChatHistory } from "../../src/engine/chat";
import { approvalRequests } from "../../src/tools/approvals";
import type { ToolEntry } from "../../src/tools/types";

const entry = (name: string, requires_approval: boolean): ToolEntry => ({ service: name.split("__")[0]!, spec: { name, parameters: { type: "object" } }, requires_approval, call: async () => null });
const entries = [entry("bank__transfer", true), entry("bank__balance", false), entry("other__wipe", true)];
const state = { ...initialState({ id: "c", tasks: [] }, { run_id: "run-7", input: "x" }), step_count: 3, outputs: { amount: "120" } };
const history = (...calls: Array<[string, string]>): ChatHistory => ({
  kind: "chat",
  messages: [{ role: "user", content: "go" }, { role: "assistant", content: null, tool_calls: calls.map(([name, args], i) => ({ id: `call_${i}`, type: "function", function: { name, arguments: args } })) }],
});

describe("approvalRequests", () => {
  it("asks for the model's granted calls to tools that need approval, keyed by their idempotency key", () => {
    const task: Task = { id: "run_tools", handler: "execute_tool_calls", execute_config: { tools: ["bank"] } };
    const requests = approvalRequests(task, history(["bank__balance", "{}"], ["bank__transfer", '{"to":"x","amount":5}'], ["other__wipe", "{}"]), state, entries);
    expect(requests).toEqual([{ call_id: "call_1", key: "run-7:3:call_1", task_id: "run_tools", tool: "bank__transfer", arguments: { to: "x", amount: 5 } }]);
  });

  it("asks for a hook's call with its rendered arguments", () => {
    const task: Task = { id: "pay", handler: "hook", hook: { name: "pay", tool_name: "bank__transfer", args: { amount: "{{.amount}}" } } };
    expect(approvalRequests(task, undefined, state, entries)).toEqual([{ call_id: "pay", key: "run-7:3:pay", task_id: "pay", tool: "bank__transfer", arguments: { amount: "120" } }]);
  });

  it("asks nothing for other handlers or when no tool needs approval", () => {
    expect(approvalRequests({ id: "c", handler: "chat_completion" }, history(["bank__transfer", "{}"]), state, entries)).toEqual([]);
    expect(approvalRequests({ id: "r", handler: "execute_tool_calls" }, history(["bank__balance", "{}"]), state, entries)).toEqual([]);
  });
});
