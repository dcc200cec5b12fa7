/**
 * Builds the engine's effects for one run from the Worker's bindings: the LLM through the
 * configured providers, the tool registry, the sandbox and the wall clock.
 */
import type { Config } from "../config";
import type { Effects } from "../engine/types";
import type { Env } from "../env";
import { openAiCompatibleLLM } from "../llm/client";
import { providerLookup } from "../llm/providers";
import { toolRegistry } from "../tools/registry";

export function createEffects(env: Env, config: Config, runId: string): Effects {
  return {
    llm: openAiCompatibleLLM(providerLookup(config)),
    tools: toolRegistry([]),
    sandbox: { run: async () => { throw new Error("tmp"); } },
    clock: { now: () => Date.now() },
  };
}
