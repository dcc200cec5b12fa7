/**
 * `execute_js`: lets a chat model run a JavaScript program in the sandbox (code mode as a
 * tool). The program gets the sandbox defaults and no tool grant of its own.
 */
import type { Task } from "../../engine/chain";
import type { Sandbox } from "../../engine/effects";
import type { ToolEntry } from "../types";

export function executeJsTool(sandbox: () => Sandbox): ToolEntry {
  return {
    service: "js_sandbox",
    spec: {
      name: "execute_js",
      description:
        "Run a JavaScript program in a fresh sandboxed isolate and get back { ok, result, error, logs, calls }. Write the body of an async function and `return` the result (or end with an expression). It can use httpFetch(url, init?) for public HTTP, executeTask(prompt) to ask the LLM, executeTaskChain(chainId, input), sendEvent(type, data) and console.log; no tools are granted to it.",
      parameters: { type: "object", properties: { code: { type: "string", description: "The JavaScript program." } }, required: ["code"], additionalProperties: false },
    },
    async call(args, ctx) {
      const code = typeof args === "object" && args !== null && "code" in args ? (args as { code: unknown }).code : undefined;
      if (typeof code !== "string" || code.trim() === "") return { error: 'execute_js needs a non-empty string argument "code"' };
      const task: Task = { id: ctx.taskId, handler: "run_js" };
      return sandbox().run(code, { task, runId: ctx.runId, signal: ctx.signal });
    },
  };
}
