import { describe, expect, it } from "vitest";
import { api, llm, runSteps, unique, waitForRun } from "./client";

const chat = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  tasks: [{ id: "answer", handler: "chat_completion", system_instruction: "Be brief.", execute_config: { model: "{{var:model}}" }, ...extra }],
});

describe("POST /runs", () => {
  it("runs an inline chain to the end with ?wait=true and records every step", async () => {
    const chain = {
      id: "inline-noops",
      tasks: [
        { id: "first", handler: "noop", transition: { branches: [{ operator: "default", when: "", goto: "second" }] } },
        { id: "second", handler: "noop", transition: { branches: [{ operator: "default", when: "", goto: "end" }] } },
      ],
    };
    const res = await api().post("/runs?wait=true", { chain, input: "hello" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ chain_id: "inline-noops", chain_version: -1, status: "succeeded", output: "hello", step_count: 2 });
    const steps = await runSteps(api(), res.body.id);
    expect(steps.map((s: { task_id: string }) => s.task_id)).toEqual(["first", "second"]);
    expect(Object.keys(steps[0]).sort()).toEqual(
      expect.arrayContaining(["index", "task_id", "handler", "input", "output", "eval", "goto", "started_at", "duration_ms", "error", "attempt", "model", "usage"]),
    );
    expect(steps[0]).toMatchObject({ index: 0, handler: "noop", goto: "second", attempt: 1, input: "hello" });
  });

  it("shows the chain a run ran, even an inline one, as the run's own snapshot", async () => {
    const chain = { id: "inline-snapshot", tasks: [{ id: "only", handler: "noop" }] };
    const res = await api().post("/runs?wait=true", { chain, input: "x" });
    const shown = await api().get(`/runs/${res.body.id}/chain`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ run_id: res.body.id, chain_id: "inline-snapshot", chain_version: -1, definition: { id: "inline-snapshot", tasks: [{ id: "only", handler: "noop" }] } });
    expect((await api().get("/runs/no-such-run/chain")).status).toBe(404);
  });

  it("answers 202 with {id, status} without wait, and the run finishes on its own", async () => {
    const s = unique("async");
    await llm().script(s, [{ content: "done later", delay_ms: 300 }]);
    const res = await api().post("/runs", { chain: chat("async-chat"), input: "hi", vars: { model: s } });
    expect(res.status).toBe(202);
    expect(Object.keys(res.body).sort()).toEqual(["id", "status"]);
    const run = await waitForRun(api(), res.body.id, (r) => r.status === "succeeded");
    expect(run.output).toMatchObject({ kind: "chat" });
    expect(run.usage.total_tokens).toBeGreaterThan(0);
  });

  it("runs a named bundled chain and records token usage per step and per run", async () => {
    const s = unique("usage");
    await llm().script(s, [{ content: "The answer is 4.", usage: { prompt_tokens: 11, completion_tokens: 5 } }]);
    const res = await api().post("/runs?wait=true", { chain_id: "default-chain", input: "2+2?", vars: { model: s } });
    expect(res.body.status).toBe("succeeded");
    expect(res.body.usage).toEqual({ prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 });
    const steps = await runSteps(api(), res.body.id);
    expect(steps[0]).toMatchObject({ model: s, usage: { prompt_tokens: 11, completion_tokens: 5 } });
  });

  it("takes a messages array as input and continues that conversation", async () => {
    const s = unique("messages");
    await llm().script(s, [{ content: "Blue." }]);
    const input = [
      { role: "user", content: "Pick a colour." },
      { role: "assistant", content: "Red." },
      { role: "user", content: "Another?" },
    ];
    const res = await api().post("/runs?wait=true", { chain: chat("msgs"), input, vars: { model: s } });
    expect(res.body.status).toBe("succeeded");
    const [request] = await llm().requests(s);
    expect((request!.body.messages as unknown[]).slice(1)).toEqual(input);
  });

  it("rejects bad input with the path and starts nothing", async () => {
    const before = await api().get("/runs?limit=100");
    const both = await api().post("/runs", { chain_id: "default-chain", chain: chat("x") });
    expect(both.status).toBe(400);
    expect(both.body.error.path).toBe("chain_id");
    const badVars = await api().post("/runs", { chain_id: "default-chain", vars: { n: 5 } });
    expect(badVars.status).toBe(400);
    expect(badVars.body.error.path).toBe("vars.n");
    const unknown = await api().post("/runs", { chain_id: "no-such-chain" });
    expect(unknown.status).toBe(404);
    const invalid = await api().post("/runs", { chain: { id: "bad", tasks: [{ id: "a", handler: "nope" }] } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.path).toBe("tasks[0].handler");
    const after = await api().get("/runs?limit=100");
    expect(after.body.data.length).toBe(before.body.data.length);
  });
});

describe("retries, fallback and failure routing", () => {
  const policy = { max_attempts: 3, initial_backoff: "200ms", max_backoff: "1s", jitter: 0 };

  it("retries a 503 with backoff, then succeeds", async () => {
    const s = unique("retry");
    await llm().script(s, [{ status: 503, error: { message: "overloaded" } }, { content: "recovered" }]);
    const chain = chat("retry-chain", { execute_config: { model: "{{var:model}}", retry_policy: policy } });
    const res = await api().post("/runs?wait=true", { chain, input: "x", vars: { model: s } });
    expect(res.body.status).toBe("succeeded");
    const steps = await runSteps(api(), res.body.id);
    expect(steps).toHaveLength(2);
    expect(steps[0]).toMatchObject({ attempt: 1, error: { type: "provider_error" }, retry: { delay_ms: 200, attempt: 2 } });
    expect(steps[1]).toMatchObject({ attempt: 2, error: null });
    expect(steps[1].started_at - steps[0].started_at).toBeGreaterThanOrEqual(200);
  });

  it("switches to the fallback model once the retries on the primary are used up", async () => {
    const primary = unique("primary");
    const fallback = unique("fallback");
    await llm().script(primary, [{ status: 503, error: { message: "down" } }], { repeat: true });
    await llm().script(fallback, [{ content: "from the fallback" }]);
    const chain = chat("fallback-chain", { execute_config: { model: "{{var:model}}", retry_policy: { ...policy, fallback_model_id: fallback, fallback_after: 2 } } });
    const res = await api().post("/runs?wait=true", { chain, input: "x", vars: { model: primary } });
    expect(res.body.status).toBe("succeeded");
    const steps = await runSteps(api(), res.body.id);
    expect(steps.map((s: { error: unknown; attempt: number }) => [s.attempt, s.error ? "error" : "ok"])).toEqual([
      [1, "error"],
      [2, "error"],
      [3, "ok"],
    ]);
    expect(steps[2].model).toBe(fallback);
    expect(await llm().requests(primary)).toHaveLength(2);
  });

  it("routes to on_failure when every attempt failed", async () => {
    const s = unique("exhausted");
    await llm().script(s, [{ status: 500, error: { message: "boom" } }], { repeat: true });
    const chain = {
      id: "on-failure-chain",
      tasks: [
        { id: "ask", handler: "chat_completion", execute_config: { model: "{{var:model}}", retry_policy: { ...policy, max_attempts: 2 } }, transition: { on_failure: "bail", branches: [{ operator: "default", when: "", goto: "end" }] } },
        { id: "bail", handler: "raise_error", prompt_template: "gave up asking" },
      ],
    };
    const res = await api().post("/runs?wait=true", { chain, input: "x", vars: { model: s } });
    expect(res.body.status).toBe("failed");
    expect(res.body.error.message).toContain("gave up asking");
    const steps = await runSteps(api(), res.body.id);
    expect(steps.map((st: { task_id: string }) => st.task_id)).toEqual(["ask", "ask", "bail"]);
  });

  it("does not retry an auth failure", async () => {
    const s = unique("auth");
    await llm().script(s, [{ status: 401, error: { message: "bad key" } }, { content: "never reached" }]);
    const chain = chat("auth-chain", { execute_config: { model: "{{var:model}}", retry_policy: policy } });
    const res = await api().post("/runs?wait=true", { chain, input: "x", vars: { model: s } });
    expect(res.body.status).toBe("failed");
    expect(res.body.error.type).toBe("provider_auth");
    expect(await llm().requests(s)).toHaveLength(1);
  });
});

describe("limits, cancel and isolation", () => {
  it("ends a runaway chain at the step ceiling with a clear error", async () => {
    const chain = { id: "forever", max_steps: 50, tasks: [{ id: "spin", handler: "noop", transition: { branches: [{ operator: "default", when: "", goto: "spin" }] } }] };
    const res = await api().post("/runs?wait=true", { chain, input: "x" });
    expect(res.body.status).toBe("failed");
    expect(res.body.error.type).toBe("step_limit");
    expect(res.body.error.message).toMatch(/50/);
    expect(res.body.step_count).toBe(50);
  });

  it("cancels mid-run, aborting the in-flight LLM call", async () => {
    const s = unique("slow");
    await llm().script(s, [{ content: "too late", delay_ms: 10_000 }]);
    const res = await api().post("/runs", { chain: chat("slow-chain"), input: "x", vars: { model: s } });
    await waitForRun(api(), res.body.id, (r) => r.status === "running");
    const started = Date.now();
    const cancel = await api().post(`/runs/${res.body.id}/cancel`);
    expect(cancel.status).toBe(202);
    const run = await waitForRun(api(), res.body.id, (r) => r.status === "cancelled", 8_000);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(run.error.type).toBe("cancelled");
    const again = await api().post(`/runs/${res.body.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(`Run "${res.body.id}" has already finished (cancelled); only a run that has not finished can be cancelled.`);
  });

  it("keeps concurrent runs apart", async () => {
    const chain = {
      id: "echo-vars",
      tasks: [{ id: "say", handler: "print", print: "{{var:who}} says {{.input}}", transition: { branches: [{ operator: "default", when: "", goto: "end" }] } }],
    };
    const runs = await Promise.all(
      Array.from({ length: 6 }, (_, i) => api().post("/runs?wait=true", { chain, input: `input-${i}`, vars: { who: `runner-${i}` } })),
    );
    for (const [i, r] of runs.entries()) {
      expect(r.body.status).toBe("succeeded");
      expect(r.body.output).toBe(`input-${i}`);
      const steps = await runSteps(api(), r.body.id);
      expect(steps[0].eval).toBe(`runner-${i} says input-${i}`);
    }
  });
});

describe("listing and following runs", () => {
  it("filters by status and chain and pages with a cursor", async () => {
    const chainId = `listed-${Date.now()}`;
    const chain = { id: chainId, tasks: [{ id: "a", handler: "noop" }] };
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api().post("/runs?wait=true", { chain, input: i })).body.id);
    const failing = { id: chainId, tasks: [{ id: "a", handler: "raise_error" }] };
    const failed = (await api().post("/runs?wait=true", { chain: failing, input: "x" })).body.id;

    const page1 = await api().get(`/runs?chain_id=${chainId}&status=succeeded&limit=2`);
    expect(page1.body.data.map((r: { id: string }) => r.id)).toEqual([ids[4], ids[3]]);
    const page2 = await api().get(`/runs?chain_id=${chainId}&status=succeeded&limit=2&cursor=${page1.body.next_cursor}`);
    expect(page2.body.data.map((r: { id: string }) => r.id)).toEqual([ids[2], ids[1]]);
    const page3 = await api().get(`/runs?chain_id=${chainId}&status=succeeded&limit=2&cursor=${page2.body.next_cursor}`);
    expect(page3.body.data.map((r: { id: string }) => r.id)).toEqual([ids[0]]);
    expect(page3.body.next_cursor).toBeNull();

    const failedList = await api().get(`/runs?chain_id=${chainId}&status=failed`);
    expect(failedList.body.data.map((r: { id: string }) => r.id)).toEqual([failed]);
    const future = await api().get(`/runs?chain_id=${chainId}&since=${Date.now() + 60_000}`);
    expect(future.body.data).toEqual([]);
    const bad = await api().get("/runs?status=exploded");
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe("status");
  });

  it("streams events over SSE and replays from Last-Event-ID", async () => {
    const s = unique("sse");
    await llm().script(s, [{ content: "streamed", delay_ms: 500 }]);
    const chain = {
      id: "sse-chain",
      tasks: [
        { id: "prep", handler: "noop", transition: { branches: [{ operator: "default", when: "", goto: "answer" }] } },
        { id: "answer", handler: "chat_completion", execute_config: { model: "{{var:model}}" } },
      ],
    };
    const { body } = await api().post("/runs", { chain, input: "go", vars: { model: s } });
    const read = async (lastId?: string) => {
      const res = await fetch(`${api().baseUrl}/runs/${body.id}/events`, { headers: { authorization: `Bearer ${api().apiKey}`, ...(lastId ? { "last-event-id": lastId } : {}) } });
      expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
      return parseSse(await res.text());
    };
    const all = await read();
    const lifecycle = (events: typeof all) => events.filter((e) => e.event !== "token").map((e) => e.event);
    expect(lifecycle(all)).toEqual(["run.started", "step.started", "step.completed", "step.started", "step.completed", "run.finished"]);
    expect(JSON.parse(all.at(-1)!.data)).toMatchObject({ status: "succeeded" });
    const tokens = all.filter((e) => e.event === "token").map((e) => JSON.parse(e.data));
    expect(tokens.map((t) => t.delta).join("")).toBe("streamed");
    expect(tokens[0]).toMatchObject({ task_id: "answer", handler: "chat_completion" });
    const rest = await read(all[2]!.id);
    expect(lifecycle(rest)).toEqual(["step.started", "step.completed", "run.finished"]);
  });
});

function parseSse(text: string): Array<{ id: string; event: string; data: string }> {
  return text
    .split("\n\n")
    .map((block) => Object.fromEntries(block.split("\n").filter((l) => !l.startsWith(":") && l.includes(": ")).map((l) => [l.slice(0, l.indexOf(": ")), l.slice(l.indexOf(": ") + 2)])))
    .filter((e) => e.event)
    .map((e) => ({ id: e.id ?? "", event: e.event ?? "", data: e.data ?? "" }));
}
