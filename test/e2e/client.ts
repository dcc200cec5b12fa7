/**
 * The e2e tests' shared client for the Switchyard server: authenticated HTTP calls, the mock
 * LLM's control, names unique to one test, one way to wait for something asynchronous, and
 * the reads and fixtures several test files use (a run's steps, a chain's runs, an event's
 * fires, an echo chain, a chain of LLM turns, an event trigger, a cron tick).
 */
import { expect, inject } from "vitest";
import { mockLLMControl } from "../mocks/llm-control";

export type Client = ReturnType<typeof api>;

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

/** A name unique to this test (a mock LLM scenario, a chain, an event type), so parallel tests never collide. */
export function unique(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Polls `read` until `done` holds for its value: runs, queue deliveries and restarts finish asynchronously. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The run as `GET /runs/:id` shows it, once `until` holds for it. */
export function waitForRun(client: Client, id: string, until: (run: any) => boolean, timeoutMs = 30_000): Promise<any> {
  return eventually(async () => (await client.get(`/runs/${id}`)).body, until, `run ${id} to reach the expected state`, timeoutMs);
}

/** A run's step log, as `GET /runs/:id/steps` returns it. */
export async function runSteps(client: Client, runId: string): Promise<any[]> {
  const res = await client.get(`/runs/${runId}/steps`);
  expect(res.status).toBe(200);
  return res.body.data;
}

export async function runsOfChain(client: Client, chainId: string): Promise<Array<Record<string, any>>> {
  const res = await client.get(`/runs?chain_id=${encodeURIComponent(chainId)}&limit=100`);
  expect(res.status).toBe(200);
  return res.body.data;
}

/** Creates an event trigger that starts the chain or calls the function `target` names. */
export async function eventTrigger(client: Client, eventType: string, target: { chain_id: string } | { function: string }) {
  const res = await client.post("/triggers", { name: unique("on"), type: "event", event_type: eventType, ...target });
  expect(res.status).toBe(201);
  return res.body;
}

/** What the triggers an event matched did with it, as `GET /events/:id` shows. */
export async function firesOfEvent(client: Client, eventId: string): Promise<Array<Record<string, any>>> {
  const res = await client.get(`/events/${encodeURIComponent(eventId)}`);
  expect(res.status).toBe(200);
  return res.body.fires;
}

/** Registers a one-step chain that ends with its input as output. */
export async function registerEchoChain(client: Client, id: string): Promise<void> {
  const res = await client.post("/chains", { id, tasks: [{ id: "echo", handler: "noop", transition: { branches: [{ operator: "default", when: "", goto: "end" }] } }] });
  expect(res.status).toBe(201);
}

/** `count` LLM steps in a row (`turn0`, `turn1`, …) on `{{var:model}}`, each told the run's `{{var:tone}}`: a multi-step run to fork and replay. */
export function turnsChain(id: string, count: number) {
  const turn = (n: number) => ({
    id: `turn${n}`,
    handler: "prompt_to_string",
    system_instruction: "Answer in a {{var:tone}} tone.",
    prompt_template: `Turn ${n}: {{.input}}`,
    execute_config: { model: "{{var:model}}" },
    transition: { branches: [{ operator: "default", when: "", goto: n + 1 < count ? `turn${n + 1}` : "end" }] },
  });
  return { id, tasks: Array.from({ length: count }, (_, n) => turn(n)) };
}

/** A chain whose code sends one event of `type` (the building block of the loop tests). */
export function eventSendingChain(id: string, type: string) {
  return {
    id,
    tasks: [
      {
        id: "send",
        handler: "run_js",
        execute_config: { code: `return await sendEvent(${JSON.stringify(type)}, { at: Date.now() })` },
        transition: { branches: [{ operator: "default", when: "", goto: "end" }] },
      },
    ],
  };
}

/** Delivers the Worker's `scheduled()` as the platform would for the minute containing `time`. */
export async function fireScheduled(client: Client, time: number): Promise<void> {
  const res = await fetch(`${client.baseUrl}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*&time=${time}`);
  expect(res.status).toBe(200);
}
