/**
 * Builds the engine's effects for one run from the Worker's bindings: the LLM through the
 * configured providers, the tool registry (the run's own when it passes one), the sandbox and
 * the wall clock.
 */
import type { Config } from "../config";
import type { Effects, Tools } from "../engine/effects";
import type { Env } from "../env";
import { openAiCompatibleLLM } from "../llm/client";
import { workerProviders } from "./providers";
import { workerSandbox, type SandboxRun } from "./run-sandbox";
import { toolsForRun } from "./run-tools";

export function createEffects(env: Env, config: Config, runId: string, tools: Tools = toolsForRun(env, config, runId), run: SandboxRun = {}): Effects {
  return {
    llm: openAiCompatibleLLM(workerProviders(env, config).lookup),
    tools,
    sandbox: workerSandbox(env, tools, run),
    clock: { now: () => Date.now() },
  };
}
