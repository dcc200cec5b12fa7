/**
 * The tool registry one run sees: the built-ins plus every registered service.
 */
import type { Config } from "../config";
import type { Env } from "../env";
import { workerSandbox } from "../run/sandbox";
import { executeJsTool } from "./builtins/execute-js";
import { httpFetchTool } from "./builtins/http-fetch";
import { toolRegistry, type ToolEntry } from "./registry";

export function toolsForRun(env: Env, config: Config, _runId: string) {
  const builtins: ToolEntry[] = [executeJsTool(() => workerSandbox(env, registry)), httpFetchTool(config.egressAllow)];
  const registry = toolRegistry([{ entries: async () => builtins }]);
  return registry;
}
