import { describe, expect, it } from "vitest";
import { api, llm, runSteps, unique } from "./client";

const next = (goto: string) => ({ branches: [{ operator: "default", when: "", goto }] });

describe("the step log", () => {
  it("records as a step's input exactly what its handler received, input_var included", async () => {
    const chain = {
      id: "input-vars",
      tasks: [
        { id: "first", handler: "noop", transition: next("from_var") },
        { id: "from_var", handler: "noop", input_var: "greeting", transition: next("from_input") },
        { id: "from_input", handler: "noop", input_var: "input", transition: next("end") },
      ],
    };
    const res = await api().post("/runs?wait=true", { chain, input: "run input", vars: { greeting: "hello from a var" } });
    expect(res.body.status).toBe("succeeded");
    const steps: Array<{ task_id: string; input: unknown; output: unknown }> = (await api().get(`/runs/${res.body.id}/steps`)).body.data;
    // noop hands its input on unchanged, so its output is what it received.
    expect(steps.map((s) => [s.task_id, s.input, s.output])).toEqual([
      ["first", "run input", "run input"],
      ["from_var", "hello from a var", "hello from a var"],
      ["from_input", "run input", "run input"],
    ]);
  });
});

describe("what an LLM step records", () => {
  it("records the exact request sent — the live budget in the system prompt, the tools offered — and the raw reply", async () => {
    const model = unique("self-paced");
    await llm().script(model, [
      { tool_calls: [{ id: "w1", name: "workspace__write", arguments: { path: "a.txt", content: "one" } }], usage: { prompt_tokens: 31, completion_tokens: 7 } },
      { tool_calls: [{ id: "w2", name: "workspace__write", arguments: { path: "b.txt", content: "two" } }] },
      { content: "Both written." },
    ]);
    const run = (await api().post("/runs?wait=true", { chain_id: "self-paced-chain", input: "Write two files.", vars: { model } })).body;
    expect(run.status).toBe("succeeded");
    const steps = await runSteps(api(), run.id);
    expect(steps.map((s) => s.task_id)).toEqual(["chat", "run_tools", "chat", "run_tools", "chat"]);

    const chats = steps.filter((s) => s.task_id === "chat");
    const systems = chats.map((s) => s.llm_calls[0].request.messages[0]);
    expect(systems.map((m: { role: string }) => m.role)).toEqual(["system", "system", "system"]);
    expect(systems.map((m: { content: string }) => /have used (\d+) so far/.exec(m.content)?.[1])).toEqual(["0", "1", "2"]);
    expect(systems[0].content).not.toContain("{{");

    // Exactly what the provider received: the rendered messages and the tools offered.
    const received = await llm().requests(model);
    expect(received).toHaveLength(3);
    chats.forEach((step, i) => {
      const [call] = step.llm_calls;
      expect(call.request.messages).toEqual(received[i]!.body.messages);
      expect(call.request.tools.map((t: { name: string }) => t.name)).toEqual((received[i]!.body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name));
      expect(call).toMatchObject({ provider: "default", model, started_at: expect.any(Number), duration_ms: expect.any(Number) });
    });
    const write = chats[0].llm_calls[0].request.tools.find((t: { name: string }) => t.name === "workspace__write");
    expect(write.parameters).toMatchObject({ type: "object", properties: { path: expect.any(Object), content: expect.any(Object) } });
    expect(chats[0].llm_calls[0].reply).toEqual({
      content: null,
      tool_calls: [{ id: "w1", type: "function", function: { name: "workspace__write", arguments: '{"path":"a.txt","content":"one"}' } }],
      finish_reason: "tool_calls",
      usage: { prompt_tokens: 31, completion_tokens: 7, total_tokens: 38 },
    });
    expect(chats[2].llm_calls[0].reply).toMatchObject({ content: "Both written.", finish_reason: "stop" });
    expect(steps.filter((s) => s.task_id === "run_tools").every((s) => s.llm_calls === undefined)).toBe(true);

    // The provider key is added below the recording, so no step holds it.
    expect(JSON.stringify(steps)).not.toContain("mock-provider-key");
  });

  it("counts every recorded step on the run, retried attempts included, and reads the end as \"end\"", async () => {
    const model = unique("step-count");
    await llm().script(model, [{ status: 503, error: { message: "busy" } }, { content: "fine" }]);
    const chain = {
      id: "retrying",
      tasks: [{ id: "ask", handler: "chat_completion", execute_config: { model: "{{var:model}}", retry_policy: { max_attempts: 2, initial_backoff: "0s", jitter: 0 } }, transition: next("end") }],
    };
    const run = (await api().post("/runs?wait=true", { chain, input: "x", vars: { model } })).body;
    expect(run.status).toBe("succeeded");
    const steps = await runSteps(api(), run.id);
    expect(steps.map((s) => s.goto)).toEqual(["ask", "end"]);
    expect(run.step_count).toBe(2);
    expect((await api().get(`/runs/${run.id}`)).body.step_count).toBe(2);
    const listed = (await api().get(`/runs?chain_id=retrying&limit=100`)).body.data.find((r: { id: string }) => r.id === run.id);
    expect(listed.step_count).toBe(2);
  });

  it("names the model a failed LLM step tried, and counts the failed step", async () => {
    const model = unique("failed-step");
    await llm().script(model, [{ status: 401, error: { message: "bad key" } }]);
    const chain = { id: "failing", tasks: [{ id: "ask", handler: "chat_completion", execute_config: { model: "{{var:model}}" }, transition: next("end") }] };
    const run = (await api().post("/runs?wait=true", { chain, input: "x", vars: { model } })).body;
    expect(run.status).toBe("failed");
    const steps = await runSteps(api(), run.id);
    expect(run.step_count).toBe(steps.length);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ model, goto: "end", error: { type: "provider_auth" } });
    expect(steps[0].llm_calls).toEqual([
      expect.objectContaining({ provider: "default", model, error: expect.objectContaining({ type: "provider_auth", message: expect.stringContaining("bad key") }) }),
    ]);
    expect(steps[0].llm_calls[0].reply).toBeUndefined();
  });

  it("evaluates a noop after run_js to ok, not to the serialised envelope", async () => {
    const chain = {
      id: "code-then-noop",
      tasks: [
        { id: "code", handler: "run_js", execute_config: { code: "return { answer: 42 }" }, transition: next("pass") },
        { id: "pass", handler: "noop", transition: next("end") },
      ],
    };
    const run = (await api().post("/runs?wait=true", { chain, input: "x" })).body;
    expect(run.status).toBe("succeeded");
    const steps = await runSteps(api(), run.id);
    expect(steps.map((s) => [s.task_id, s.eval, s.goto])).toEqual([
      ["code", "ok", "pass"],
      ["pass", "ok", "end"],
    ]);
    expect(run.step_count).toBe(2);
  });
});
