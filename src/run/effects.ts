/**
 * Builds the engine's effects for one run from the Worker's bindings: the LLM through the
 * configured providers, the tool registry, the sandbox and the wall clock.
 */
import type { Config } from "../config";
import type { Effects } from "../engine/types";
import type { Env } from "../env";
import { openAiCompatibleLLM } from "../llm/client";
import { providerLookup } from "../llm/providers";
import { toolsForRun } from "../tools/for-run";
import { workerSandbox } from "./sandbox";

export function createEffects(env: Env, config: Config, runId: string): Effects {
  const tools = toolsForRun(env, config, runId);
  return {
    llm: openAiCompatibleLLM(providerLookup(config)),
    tools,
    sandbox: workerSandbox(env, tools),
    clock: { now: () => Date.now() },
  };
}
