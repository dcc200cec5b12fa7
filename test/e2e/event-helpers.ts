/** Shared steps of the trigger, event and function e2e tests. */
import { expect } from "vitest";
import { api } from "./client";

type Client = ReturnType<typeof api>;

export function unique(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Registers a one-step chain that ends with its input as output. */
export async function registerEchoChain(client: Client, id: string): Promise<void> {
  const res = await client.post("/chains", { id, tasks: [{ id: "echo", handler: "noop", transition: { branches: [{ operator: "default", when: "", goto: "end" }] } }] });
  expect(res.status).toBe(201);
}

/** Delivers the Worker's `scheduled()` as the platform would for the minute containing `time`. */
export async function fireScheduled(client: Client, time: number): Promise<void> {
  const res = await fetch(`${client.baseUrl}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*&time=${time}`);
  expect(res.status).toBe(200);
}

export async function runsOfChain(client: Client, chainId: string): Promise<Array<Record<string, any>>> {
  const res = await client.get(`/runs?chain_id=${encodeURIComponent(chainId)}&limit=100`);
  expect(res.status).toBe(200);
  return res.body.data;
}

/** Polls `read` until `done` holds for its value; queue delivery is asynchronous. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
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
