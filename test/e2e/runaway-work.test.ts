/**
 * Work that multiplies: a chain that runs itself as a sub-run, one that starts sub-runs in a
 * loop, and a function that sends two events for each event it gets. Each is bounded — sub-runs
 * by depth and by a budget per root run, events and runs by a budget per outside event — with a
 * clear error where the bound is met, and cancelling a root run cancels what it started. The
 * server here runs with small bounds, so the tests reach them quickly.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { api, eventually, registerEchoChain, runSteps, runsOfChain, unique, waitForRun, type Client } from "./client";
import { startDevServer, type DevServer } from "./dev-server";
import { expectServerAnswers } from "./sandbox-client";

const LIMITS = { SUB_RUN_MAX_DEPTH: 3, SUB_RUN_MAX_DESCENDANTS: 5, EVENT_CASCADE_MAX_EVENTS: 10, EVENT_CASCADE_MAX_RUNS: 5 };

let server: DevServer;
let client: Client;

beforeAll(async () => {
  server = await startDevServer({
    vars: { API_KEYS: inject("apiKey"), LLM_BASE_URL: inject("llmUrl"), LLM_API_KEY: "k", LLM_MODEL: "mock-model", SECRETS_KEY: "e2e-secrets-key", ...Object.fromEntries(Object.entries(LIMITS).map(([k, v]) => [k, String(v)])) },
  });
  client = api(server.url);
});

afterAll(async () => {
  await server?.stop();
});

afterEach(() => expectServerAnswers(client));

async function registerJsChain(id: string, code: string): Promise<void> {
  const res = await client.post("/chains", { id, tasks: [{ id: "js", handler: "run_js", execute_config: { code, limits: { wall_ms: 120_000 } } }] });
  expect(res.status).toBe(201);
}

const envelopeOf = async (runId: string) => (await runSteps(client, runId))[0].output;

describe("sub-runs", () => {
  it("a chain that runs itself stops at the depth limit, with the reason recorded in the step", async () => {
    const id = unique("itself");
    await registerJsChain(id, `return await executeTaskChain(${JSON.stringify(id)}, {});`);
    const root = await client.post("/runs?wait=true", { chain_id: id, input: {} });
    expect(root.body.status).toBe("succeeded");
    const runs = await eventually(() => runsOfChain(client, id), (r) => r.length === LIMITS.SUB_RUN_MAX_DEPTH + 1 && r.every((x) => x.status === "succeeded"), "every run of the chain to end");
    const envelopes = await Promise.all(runs.map((r) => envelopeOf(String(r.id))));
    const refused = envelopes.filter((e) => e.result.success === false);
    expect(refused).toHaveLength(1);
    expect(refused[0].calls[0]).toMatchObject({ name: "executeTaskChain", ok: false, error: expect.stringContaining(`sub-runs nest at most ${LIMITS.SUB_RUN_MAX_DEPTH} levels below their root run (SUB_RUN_MAX_DEPTH)`) });
    expect((await client.get(`/runs/${runs.find((r) => r.id !== root.body.id)!.id}`)).body.parent_run_id).toEqual(expect.any(String));
  });

  it("a root run's code starting sub-runs in a loop gets its budget of them, and clear refusals after", async () => {
    const leaf = unique("leaf");
    await registerEchoChain(client, leaf);
    const id = unique("loop");
    await registerJsChain(id, `const out = [];\nfor (let i = 0; i < 8; i++) out.push(await executeTaskChain(${JSON.stringify(leaf)}, i));\nreturn out.map((r) => r.success ? "ran" : r.error);`);
    const root = await client.post("/runs?wait=true", { chain_id: id, input: {} });
    const outcomes = root.body.output.result as string[];
    expect(outcomes.slice(0, LIMITS.SUB_RUN_MAX_DESCENDANTS)).toEqual(Array(LIMITS.SUB_RUN_MAX_DESCENDANTS).fill("ran"));
    expect(outcomes.slice(LIMITS.SUB_RUN_MAX_DESCENDANTS)).toEqual(
      Array(8 - LIMITS.SUB_RUN_MAX_DESCENDANTS).fill(`Sub-run refused: root run ${root.body.id} has already started ${LIMITS.SUB_RUN_MAX_DESCENDANTS} sub-runs at all depths, its limit (SUB_RUN_MAX_DESCENDANTS).`),
    );
    expect(await runsOfChain(client, leaf)).toHaveLength(LIMITS.SUB_RUN_MAX_DESCENDANTS);
  });

  it("cancelling a root run cancels the sub-runs still live below it", async () => {
    const sleeper = unique("sleeper");
    await registerJsChain(sleeper, "await new Promise((r) => setTimeout(r, 60000));\nreturn 1;");
    const waiter = unique("waiter");
    await registerJsChain(waiter, `return await executeTaskChain(${JSON.stringify(sleeper)}, {});`);
    const root = await client.post("/runs", { chain_id: waiter, input: {} });
    const [child] = await eventually(() => runsOfChain(client, sleeper), (r) => r.length === 1, "the sub-run to start");
    await waitForRun(client, String(child!.id), (r) => r.status === "running");
    const cancelled = await client.post(`/runs/${root.body.id}/cancel`);
    expect(cancelled.status).toBe(202);
    await waitForRun(client, root.body.id, (r) => r.status === "cancelled");
    const sub = await waitForRun(client, String(child!.id), (r) => r.status !== "running" && r.status !== "queued");
    expect(sub.status).toBe("cancelled");
  });
});

describe("event cascades", () => {
  async function deadLettersOf(eventIds: Set<string>) {
    return ((await client.get("/events/dead-letters?limit=500")).body.data as Array<{ event_id: string; error: string }>).filter((d) => eventIds.has(d.event_id));
  }

  it("a function sending two events per event is stopped at its cascade's budget; what exceeds it is dead-lettered with the reason", async () => {
    const type = unique("doubling");
    const fn = unique("doubler").replace(/-/g, "_");
    expect((await client.post("/functions", { name: fn, code: `export default async function (event) {\n  await sendEvent(event.type, { n: 1 });\n  await sendEvent(event.type, { n: 2 });\n}` })).status).toBe(201);
    expect((await client.post("/triggers", { name: unique("on"), type: "event", event_type: type, function: fn })).status).toBe(201);
    const outside = await client.post("/events", { type, data: {} });
    expect(outside.status).toBe(201);
    const letters = await eventually(
      async () => ((await client.get("/events/dead-letters?limit=500")).body.data as Array<{ error: string }>).filter((d) => d.error.includes(`outside event ${outside.body.id}`)),
      (found) => found.length > 0,
      "the cascade's first dead letter",
    );
    expect(letters[0]!.error).toContain(`has caused more than ${LIMITS.EVENT_CASCADE_MAX_EVENTS} events this minute (EVENT_CASCADE_MAX_EVENTS)`);
    // Once over budget no event of the cascade is sent, so the count stops; a minute boundary can give it one more budget.
    const settled = await eventually(
      async () => ((await client.get(`/events?type=${type}&limit=500`)).body.data as unknown[]).length,
      (() => { let last = -1; return (n: number) => { const stable = n === last; last = n; return stable; }; })(),
      "the cascade to stop",
    );
    expect(settled).toBeLessThanOrEqual(1 + 2 * LIMITS.EVENT_CASCADE_MAX_EVENTS);
    expect(settled).toBeLessThan(511);
  });

  it("an event that would start more runs than its budget starts its budget's worth; the rest are dead-lettered", async () => {
    const type = unique("popular");
    const chains: string[] = [];
    for (let i = 0; i < 7; i++) {
      const id = unique("popular-chain");
      await registerEchoChain(client, id);
      expect((await client.post("/triggers", { name: unique("on"), type: "event", event_type: type, chain_id: id })).status).toBe(201);
      chains.push(id);
    }
    const outside = await client.post("/events", { type, data: {} });
    const letters = await eventually(() => deadLettersOf(new Set([outside.body.id])), (d) => d.length === 7 - LIMITS.EVENT_CASCADE_MAX_RUNS, "the refused runs' dead letters");
    expect(letters.every((d) => d.error.includes(`more than ${LIMITS.EVENT_CASCADE_MAX_RUNS} runs this minute (EVENT_CASCADE_MAX_RUNS)`))).toBe(true);
    const started = (await Promise.all(chains.map((id) => runsOfChain(client, id)))).flat();
    expect(started).toHaveLength(LIMITS.EVENT_CASCADE_MAX_RUNS);
  });
});
