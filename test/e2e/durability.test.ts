/**
 * A run survives its server dying mid-chain: workerd is killed (no clean shutdown) while a
 * step is in flight, restarted on the same storage, and the alarm resumes the run from the
 * last recorded step. Recorded steps are never executed again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { api, eventually, llm, runSteps, unique, waitForRun } from "./client";
import { startDevServer, type DevServer } from "./dev-server";

let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({
    vars: { API_KEYS: inject("apiKey"), LLM_BASE_URL: inject("llmUrl"), LLM_API_KEY: "k", LLM_MODEL: "mock-model", EGRESS_ALLOW: "", SECRETS_KEY: "e2e-secrets-key" },
  });
});

afterAll(async () => {
  await server?.stop();
});

describe("durable runs", () => {
  it("resumes after a crash mid-chain without re-running recorded steps", async () => {
    const first = unique("dur-first");
    const second = unique("dur-second");
    const third = unique("dur-third");
    await llm().script(first, [{ content: "one" }]);
    await llm().script(second, [{ content: "two" }]);
    // The third step is slow the first time, so the crash lands while it is in flight.
    await llm().script(third, [{ content: "never delivered", delay_ms: 20_000 }, { content: "three" }]);
    const step = (id: string, model: string, next: string) => ({
      id,
      handler: "prompt_to_string",
      prompt_template: `say ${id}`,
      execute_config: { model },
      transition: { branches: [{ operator: "default", when: "", goto: next }] },
    });
    const chain = { id: "crash-chain", tasks: [step("a", first, "b"), step("b", second, "c"), step("c", third, "end")] };

    const client = api(server.url);
    const { body } = await client.post("/runs", { chain, input: "go" });
    await waitForRun(client, body.id, (r) => r.step_count === 2);
    await eventually(() => llm().requests(third), (requests) => requests.length === 1, "the third step's request", 15_000);

    await server.crash();
    server = await startDevServer({ vars: server.vars, persistDir: server.persistDir });
    const resumed = api(server.url);

    const run = await waitForRun(resumed, body.id, (r) => r.status === "succeeded" || r.status === "failed", 30_000);
    expect(run.status).toBe("succeeded");
    expect(run.output).toBe("three");
    const steps = await runSteps(resumed, body.id);
    expect(steps.map((s: { index: number; task_id: string }) => [s.index, s.task_id])).toEqual([
      [0, "a"],
      [1, "b"],
      [2, "c"],
    ]);
    expect(await llm().requests(first)).toHaveLength(1);
    expect(await llm().requests(second)).toHaveLength(1);
    // The in-flight step ran again: effects are at-least-once.
    expect(await llm().requests(third)).toHaveLength(2);
  });
});

describe("a step that keeps taking the runtime down", () => {
  it("is failed after three interrupted starts instead of being re-run forever", async () => {
    const hang = unique("dur-hang");
    await llm().script(hang, [{ content: "never delivered", delay_ms: 60_000 }], { repeat: true });
    const chain = { id: "crashing-chain", tasks: [{ id: "stuck", handler: "prompt_to_string", prompt_template: "hang", execute_config: { model: hang } }] };
    const { body } = await api(server.url).post("/runs", { chain, input: "go" });
    for (let crash = 1; crash <= 3; crash++) {
      await eventually(() => llm().requests(hang), (requests) => requests.length === crash, `start ${crash} of the hanging step`, 20_000);
      await server.crash();
      server = await startDevServer({ vars: server.vars, persistDir: server.persistDir });
    }
    const run = await waitForRun(api(server.url), body.id, (r) => r.status === "failed", 30_000);
    expect(run.error).toMatchObject({ type: "step_crashed" });
    expect(run.error.message).toContain("3 times");
    expect(await llm().requests(hang)).toHaveLength(3);
  });
});
