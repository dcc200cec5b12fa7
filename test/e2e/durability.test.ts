/**
 * A run survives its server dying mid-chain: workerd is killed (no clean shutdown) while a
 * step is in flight, restarted on the same storage, and the alarm resumes the run from the
 * last recorded step. Recorded steps are never executed again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { startToolService, type ToolService } from "../mocks/tool-service";
import { api, eventually, llm, runSteps, unique, waitForRun } from "./client";
import { startDevServer, type DevServer } from "./dev-server";

let server: DevServer;
/** Sandboxed code calls it to show it is running (EGRESS_ALLOW names its port). */
let beacon: ToolService;

beforeAll(async () => {
  beacon = await startToolService({ records: 3 });
  server = await startDevServer({
    vars: { API_KEYS: inject("apiKey"), LLM_BASE_URL: inject("llmUrl"), LLM_API_KEY: "k", LLM_MODEL: "mock-model", EGRESS_ALLOW: `127.0.0.1:${beacon.port}`, SECRETS_KEY: "e2e-secrets-key" },
  });
});

afterAll(async () => {
  await server?.stop();
  await beacon?.close();
});

async function restart(): Promise<void> {
  await server.crash();
  server = await startDevServer({ vars: server.vars, persistDir: server.persistDir });
}

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

    await restart();
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
      await restart();
    }
    const run = await waitForRun(api(server.url), body.id, (r) => r.status === "failed", 30_000);
    expect(run.error).toMatchObject({ type: "step_crashed" });
    expect(run.error.message).toContain("3 times");
    expect(await llm().requests(hang)).toHaveLength(3);
  });
});

describe("a sandbox that takes the process down", () => {
  const jsRun = (id: string, code: string) => ({
    chain: { id, tasks: [{ id: "js", handler: "run_js", execute_config: { limits: { wall_ms: 120_000 } } }] },
    input: { code },
  });
  const signals = (path: string) => beacon.calls.filter((c) => c.path === path).length;

  it("is the one failed: runs beside it when the process died resume and finish", async () => {
    const scenario = unique("beside-crash");
    // At-least-once: the chat's step may be in flight at either crash, and is asked again.
    await llm().script(scenario, [{ content: "never delivered", delay_ms: 60_000 }, { content: "survived" }], { repeat: true });
    const client = api(server.url);
    // The culprit stands for a heap bomb: it is running whenever the process dies.
    const culprit = await client.post("/runs", jsRun("culprit", `await httpFetch("${beacon.url}/culprit");\nawait new Promise(() => {});`));
    const sandboxed = await client.post("/runs", jsRun("bystander-js", `await httpFetch("${beacon.url}/bystander");\nawait new Promise((r) => setTimeout(r, 3000));\nreturn "finished";`));
    const chat = await client.post("/runs", { chain: { id: "bystander-llm", tasks: [{ id: "ask", handler: "prompt_to_string", prompt_template: "hi", execute_config: { model: scenario } }] }, input: "go" });
    await eventually(async () => [signals("/culprit"), signals("/bystander"), (await llm().requests(scenario)).length], (n) => n.every((c) => c === 1), "all three runs in flight");

    // Died with all three in flight: both sandboxes are suspects, and each runs alone next.
    await restart();
    await eventually(async () => signals("/culprit"), (n) => n === 2, "the culprit running alone", 60_000);
    // Died while the culprit's code ran alone: it did it.
    await restart();

    const resumed = api(server.url);
    const failed = await waitForRun(resumed, culprit.body.id, (r) => r.status === "failed", 30_000);
    expect(failed.error).toMatchObject({ type: "step_crashed", message: expect.stringContaining("ran with no other sandbox beside it") });
    const finished = await waitForRun(resumed, sandboxed.body.id, (r) => r.status !== "queued" && r.status !== "running", 60_000);
    expect(finished).toMatchObject({ status: "succeeded", output: { ok: true, result: "finished" } });
    const answered = await waitForRun(resumed, chat.body.id, (r) => r.status !== "queued" && r.status !== "running", 30_000);
    expect(answered).toMatchObject({ status: "succeeded", output: "survived" });
    expect(signals("/culprit")).toBe(2);
  }, 240_000);
});
