/** A small authenticated client for the e2e tests' Switchyard server. */
import { inject } from "vitest";
import { mockLLMControl } from "../mocks/llm-control";

export function api(baseUrl = inject("baseUrl"), apiKey = inject("apiKey")) {
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
  return {
    baseUrl,
    apiKey,
    get: (path: string, headers?: Record<string, string>) => call("GET", path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call("POST", path, body ?? {}, headers),
    put: (path: string, body: unknown) => call("PUT", path, body),
    delete: (path: string) => call("DELETE", path),
    raw: call,
  };
}

export function llm() {
  return mockLLMControl(inject("llmUrl"));
}

/** A scenario name unique to this test, so parallel scripts never collide. */
export function scenario(name: string): string {
  return `${name}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function waitForRun(client: ReturnType<typeof api>, id: string, until: (run: any) => boolean, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await client.get(`/runs/${id}`);
    if (until(body)) return body;
    if (Date.now() > deadline) throw new Error(`run ${id} did not reach the expected state; last: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
