/**
 * `execute_js`: lets a chat model run a JavaScript program in the sandbox (code mode as a
 * tool). The program gets the sandbox defaults and no tool grant of its own.
 */
import type { Sandbox, Task } from "../../engine/types";
import type { ToolEntry } from "../registry";

export function executeJsTool(sandbox: () => Sandbox): ToolEntry {
  return {
    service: "js_sandbox",
    spec: {
      name: "execute_js",
      description:
        "Run a JavaScript program in an isolated sandbox and get back its result. Write an async function body; `return` the result (or end with an expression). Globals: httpFetch(url, init), console.log.",
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
