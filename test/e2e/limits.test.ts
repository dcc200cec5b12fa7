/**
 * Server-wide run limits, on a server of their own started with small values: the step
 * ceiling from STEP_LIMIT, the maximum wall time of a run, and the per-step output kept in
 * the step log (truncated with a marker, never dropped).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, llm, runSteps, unique } from "./client";
import { startDevServer, type DevServer } from "./dev-server";

let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({
    vars: { API_KEYS: inject("apiKey"), LLM_BASE_URL: inject("llmUrl"), LLM_MODEL: "mock-model", SECRETS_KEY: "k", STEP_LIMIT: "25", RUN_WALL_MS: "1500", MAX_STEP_OUTPUT_BYTES: "2000" },
  });
});

afterAll(async () => {
  await server?.stop();
});

const loop = (id: string, max_steps?: number) => ({
  id,
  ...(max_steps ? { max_steps } : {}),
  tasks: [{ id: "spin", handler: "noop", transition: { branches: [{ operator: "default", when: "", goto: "spin" }] } }],
});

describe("server-wide run limits", () => {
  it("caps steps at STEP_LIMIT even when the chain asks for more", async () => {
    const res = await api(server.url).post("/runs?wait=true", { chain: loop("greedy", 500), input: "x" });
    expect(res.body.status).toBe("failed");
    expect(res.body.error.type).toBe("step_limit");
    expect(res.body.step_count).toBe(25);
  });

  it("fails a run that outlives RUN_WALL_MS at the next step boundary", async () => {
    const slow = unique("wall");
    await llm().script(slow, [{ content: "slow answer", delay_ms: 1_000 }], { repeat: true });
    const chain = {
      id: "slow-loop",
      tasks: [{ id: "ask", handler: "prompt_to_string", execute_config: { model: slow }, transition: { branches: [{ operator: "default", when: "", goto: "ask" }] } }],
    };
    const res = await api(server.url).post("/runs?wait=true", { chain, input: "x" });
    expect(res.body.status).toBe("failed");
    expect(res.body.error.type).toBe("wall_time");
    expect(res.body.error.message).toContain("1500 ms");
    expect(res.body.step_count).toBeGreaterThanOrEqual(1);
    expect(res.body.step_count).toBeLessThan(5);
  });

  it("truncates a large step output in the log with a marker, while the run keeps the whole value", async () => {
    const big = "y".repeat(10_000);
    const chain = {
      id: "big-output",
      tasks: [
        { id: "make", handler: "noop", transition: { branches: [{ operator: "default", when: "", goto: "measure" }] } },
        { id: "measure", handler: "print", print: "{{.make}}", transition: { branches: [{ operator: "default", when: "", goto: "end" }] } },
      ],
    };
    const res = await api(server.url).post("/runs?wait=true", { chain, input: big });
    expect(res.body.status).toBe("succeeded");
    expect(res.body.output).toBe(big);
    const steps = await runSteps(api(server.url), res.body.id);
    expect(steps[0].output).toMatchObject({ truncated: true, original_bytes: 10_000 });
    expect(steps[0].output.preview).toMatch(/^y+$/);
    expect(steps[0].output.preview.length).toBeLessThanOrEqual(2000);
  });
});
