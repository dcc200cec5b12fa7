/**
 * Starts, once for the e2e project, the scripted mock LLM and a real `wrangler dev` pointed at
 * it; tests reach both through `inject()`.
 */
import type { TestProject } from "vitest/node";
import { startMockLLM } from "../mocks/llm-server";
import { startDevServer } from "./dev-server";

export const API_KEY = "e2e-test-key";
/** Keys with a role other than admin (`role:key` entries of API_KEYS). */
export const ROLE_KEYS = { agent: "e2e-agent-key", manager: "e2e-manager-key" } as const;

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    apiKey: string;
    llmUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const llm = await startMockLLM();
  const server = await startDevServer({
    vars: { API_KEYS: `${API_KEY},second-key,agent:${ROLE_KEYS.agent},manager:${ROLE_KEYS.manager}`, LLM_BASE_URL: llm.url, LLM_API_KEY: "mock-provider-key", LLM_MODEL: "mock-model", EGRESS_ALLOW: "", SECRETS_KEY: "e2e-secrets-key" },
  });
  project.provide("baseUrl", server.url);
  project.provide("apiKey", API_KEY);
  project.provide("llmUrl", llm.url);
  return async () => {
    await server.stop();
    await llm.close();
  };
}
