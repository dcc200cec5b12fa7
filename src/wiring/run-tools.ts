/**
 * The tool registry one run sees: the built-ins (`execute_js`, `http_fetch`, `workspace__*`)
 * plus every registered service, loaded from D1 once per registry. The run's Durable Object
 * passes its approval gate, its own workspace and, when a domain contract governs the run, the
 * contract's gate; anyone else (sandboxed code, functions) gets no approver and reaches the
 * run's workspace through the run's object.
 */
import type { Config } from "../config";
import { db } from "../db/client";
import { egressPolicy } from "../egress/policy";
import { listToolServices } from "../db/tools";
import type { Env } from "../env";
import { runStub } from "../run/stub";
import { executeJsTool } from "../tools/builtins/execute-js";
import { httpFetchTool } from "../tools/builtins/http-fetch";
import { workspaceTools, type WorkspaceOp } from "../tools/builtins/workspace";
import { openCredentials } from "../tools/credentials";
import { registeredTools } from "../tools/service-tools";
import { toolRegistry } from "../tools/registry";
import type { SandboxTurn } from "../sandbox/lane";
import type { ApprovalGate, CallGate, ToolEntry, ToolRegistry } from "../tools/types";
import { workerSandbox } from "./run-sandbox";
import { runtimeScrubber } from "./runtime-secrets";

export interface RunToolOptions {
  approvals?: ApprovalGate;
  /** Runs a workspace operation; by default, in the run's Durable Object over RPC. */
  workspace?: (op: WorkspaceOp) => Promise<unknown>;
  /** The run's record of its step's turn in the sandbox lane, for `execute_js`. */
  turn?: SandboxTurn;
  /** The domain contract's gate, for a governed run's calls. */
  gate?: CallGate;
  /** The run's role, for code the `execute_js` tool runs. */
  principal?: string;
}

export function toolsForRun(env: Env, config: Config, runId: string, options: RunToolOptions = {}): ToolRegistry {
  const workspace = options.workspace ?? ((op: WorkspaceOp) => runStub(env, runId).workspace(op));
  const sandboxRun = { turn: options.turn, principal: options.principal, governed: options.gate !== undefined };
  const builtins: ToolEntry[] = [executeJsTool(() => workerSandbox(env, registry, sandboxRun)), httpFetchTool(egressPolicy(config), () => runtimeScrubber(env, config)), ...workspaceTools(workspace)];
  const registered = registeredTools({
    services: () => listToolServices(db(env.DB)),
    openCredentials: (sealed) => openCredentials(env.SECRETS_KEY, sealed),
  });
  const registry = toolRegistry([{ entries: async () => builtins }, registered], { approvals: options.approvals, gate: options.gate });
  return registry;
}
