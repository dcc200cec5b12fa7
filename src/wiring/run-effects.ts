/**
 * Builds the engine's effects for one run from the Worker's bindings: the LLM and embeddings
 * routed over the configured backends, the tool registry (the run's own when it passes one),
 * the sandbox and the wall clock.
 */
import type { Config } from "../config";
import type { Effects, Tools } from "../engine/effects";
import type { Env } from "../env";
import { workerRouter } from "./router";
import { workerSandbox, type RunSandboxOptions } from "./run-sandbox";
import { toolsForRun } from "./run-tools";

export function createEffects(env: Env, config: Config, runId: string, tools: Tools = toolsForRun(env, config, runId), sandbox: RunSandboxOptions = {}): Effects {
  const { llm, embeddings } = workerRouter(env, config);
  return {
    llm,
    embeddings,
    tools,
    sandbox: workerSandbox(env, tools, sandbox),
    clock: { now: () => Date.now() },
  };
}
