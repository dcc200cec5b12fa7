/**
 * A small fetch client for the mock LLM's control routes (`/__mock/*`), for tests that run in
 * a different context from the server, e.g. when it was started by vitest's globalSetup or by
 * `llm-server-cli.ts`. Replies sent this way are plain data: functions cannot cross HTTP.
 */
import type { MockModel } from "./llm-models";
import type { MockReplyData, RecordedRequest, ScriptOptions } from "./llm-script";

export type MockLLMControl = {
  /** Replaces the scenario's script; the server rejects a malformed reply with a 400. */
  script(scenario: string, replies: MockReplyData[], options?: ScriptOptions): Promise<void>;
  /** Replaces the models listed with details (context length, capabilities). */
  models(models: MockModel[]): Promise<void>;
  /** Recorded requests, of one scenario or (without one) of all. */
  requests(scenario?: string): Promise<RecordedRequest[]>;
  reset(): Promise<void>;
};

/** `baseUrl` is the server's origin or its OpenAI base URL (`…/v1`); both work. */
export function mockLLMControl(baseUrl: string): MockLLMControl {
  const origin = baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");

  async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${origin}/__mock/${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`mock control ${method} ${path} failed with ${response.status}: ${text}`);
    return JSON.parse(text) as unknown;
  }

  return {
    async script(scenario, replies, options = {}) {
      await call("POST", `scenarios/${encodeURIComponent(scenario)}`, { replies, ...options });
    },
    async models(models) {
      await call("POST", "models", { models });
    },
    async requests(scenario) {
      const query = scenario === undefined ? "" : `?scenario=${encodeURIComponent(scenario)}`;
      return (await call("GET", `requests${query}`)) as RecordedRequest[];
    },
    async reset() {
      await call("POST", "reset");
    },
  };
}
