/**
 * Starts, once for the e2e project, the scripted mock LLM and two real `wrangler dev` servers
 * pointed at it: the API's, and one that also serves the console (freshly built) for the browser
 * tests (see dev-server.ts for why they are two); tests reach them through `inject()`.
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
    /** The server with the console's static assets (test/browser/). */
    consoleUrl: string;
    apiKey: string;
    llmUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const llm = await startMockLLM();
  const vars = { API_KEYS: `${API_KEY},second-key,agent:${ROLE_KEYS.agent},manager:${ROLE_KEYS.manager}`, LLM_BASE_URL: llm.url, LLM_API_KEY: "mock-provider-key", LLM_MODEL: "mock-model", EGRESS_ALLOW: "", SECRETS_KEY: "e2e-secrets-key" };
  const [server, consoleServer] = await Promise.all([startDevServer({ vars }), startDevServer({ vars, console: true })]);
  project.provide("baseUrl", server.url);
  project.provide("consoleUrl", consoleServer.url);
  project.provide("apiKey", API_KEY);
  project.provide("llmUrl", llm.url);
  return async () => {
    await Promise.all([server.stop(), consoleServer.stop()]);
    await llm.close();
  };
}
