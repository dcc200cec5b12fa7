/**
 * Time travel through the API, against the real server and the scripted mock LLM: a fork copies
 * the recorded prefix (no provider or tool sees a call for it) and runs live from the step it
 * names; a replay runs a chain against a run's recorded effects calling nothing, and names the
 * first step where an edited chain would behave otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startToolService, type ToolService } from "../mocks/tool-service";
import { api, llm, runSteps, turnsChain, unique, waitForRun } from "./client";

const next = (goto: string) => ({ branches: [{ operator: "default", when: "", goto }] });

const fourTurns = (id: string) => turnsChain(id, 4);

/** The parts of a step that say what it did (not when). */
const what = (step: Record<string, unknown>) => ({ task_id: step.task_id, input: step.input, output: step.output, eval: step.eval, goto: step.goto, llm_calls: step.llm_calls });

const toolChat = {
  id: "tool-chat",
  tasks: [
    {
      id: "chat",
      handler: "chat_completion",
      execute_config: { model: "{{var:model}}", tools: ["workspace__write", "workspace__read"] },
      transition: {
        branches: [
          { operator: "equals", when: "tool-call", goto: "tools" },
          { operator: "default", when: "", goto: "end" },
        ],
      },
    },
    { id: "tools", handler: "execute_tool_calls", input_var: "chat", transition: next("chat") },
  ],
};

async function fork(runId: string, body: unknown) {
  return api().post(`/runs/${runId}/fork`, body);
}

describe("forking a run", () => {
  it("copies the steps before from_step and runs the rest live with the changed vars, leaving the original as it was", async () => {
    const original = unique("fork-orig");
    await llm().script(original, [{ content: "one" }, { content: "two" }, { content: "three" }, { content: "four" }]);
    const run = (await api().post("/runs?wait=true", { chain: fourTurns("four-turns"), input: "hi", vars: { model: original, tone: "casual" } })).body;
    expect(run.status).toBe("succeeded");
    const before = await runSteps(api(), run.id);

    const forked = unique("fork-new");
    await llm().script(forked, [{ content: "THREE" }, { content: "FOUR" }]);
    const res = await fork(run.id, { from_step: 2, vars: { model: forked, tone: "formal" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), status: expect.any(String), forked_from: { run_id: run.id, step: 2 } });
    const done = await waitForRun(api(), res.body.id, (r) => r.status === "succeeded");
    expect(done.output).toBe("FOUR");
    expect(done.step_count).toBe(4);

    // The provider saw calls for steps 2 and 3 only, told the new tone.
    const calls = await llm().requests(forked);
    const sent = calls.map((c) => (c.body.messages as Array<{ content: string }>).map((m) => m.content));
    expect(sent.map(([, user]) => user)).toEqual(["Turn 2: hi", "Turn 3: hi"]);
    for (const [system] of sent) expect(system).toMatch(/^Answer in a formal tone\./);
    expect(await llm().requests(original)).toHaveLength(4);

    const steps = await runSteps(api(), res.body.id);
    expect(steps.map(what).slice(0, 2)).toEqual(before.map(what).slice(0, 2));
    expect(steps.map((s) => s.copied_from ?? null)).toEqual([{ run_id: run.id, step: 0 }, { run_id: run.id, step: 1 }, null, null]);
    expect(steps[2].llm_calls[0].request.messages).toEqual(calls[0]!.body.messages);

    expect(await runSteps(api(), run.id)).toEqual(before);
    expect((await api().get(`/runs/${run.id}`)).body).toMatchObject({ status: "succeeded", step_count: 4, output: run.output });
    const forks = (await api().get(`/runs?forked_from=${run.id}`)).body.data;
    expect(forks.map((r: { id: string }) => r.id)).toEqual([res.body.id]);
    expect(forks[0].forked_from).toEqual({ run_id: run.id, step: 2 });
  });

  it("continues from a patched tool-call reply, with the workspace as it was before the step", async () => {
    const model = unique("fork-patch");
    await llm().script(model, [
      { tool_calls: [{ id: "w1", name: "workspace__write", arguments: { path: "note.txt", content: "original" } }] },
      { tool_calls: [{ id: "r1", name: "workspace__read", arguments: { path: "note.txt" } }] },
      { content: "done" },
    ]);
    const run = (await api().post("/runs?wait=true", { chain: toolChat, input: "write a note", vars: { model } })).body;
    expect(run.status).toBe("succeeded");
    const original = await runSteps(api(), run.id);
    const chatOutput = original[0].output;

    const patchedModel = unique("fork-patched");
    await llm().script(patchedModel, [{ tool_calls: [{ id: "r2", name: "workspace__read", arguments: { path: "note.txt" } }] }, { content: "read it" }]);
    const patch = structuredClone(chatOutput);
    patch.messages.at(-1).tool_calls[0].function.arguments = JSON.stringify({ path: "note.txt", content: "patched!" });
    const res = await fork(run.id, { from_step: 1, patch, vars: { model: patchedModel } });
    expect(res.status).toBe(201);
    await waitForRun(api(), res.body.id, (r) => r.status === "succeeded");
    const steps = await runSteps(api(), res.body.id);
    expect(steps[0]).toMatchObject({ copied_from: { run_id: run.id, step: 0 }, patched: true, output: patch });
    // The continuation ran the patched call: it wrote 8 bytes, and the file then read back is the patched one.
    expect(steps[1].output.messages.at(-1).content).toBe(JSON.stringify({ path: "note.txt", bytes: 8 }));
    expect(JSON.parse(steps[3].output.messages.at(-1).content)).toMatchObject({ content: "patched!" });

    // Forked after the write, the fork reads the original's file without writing it again.
    const laterModel = unique("fork-later");
    await llm().script(laterModel, [{ tool_calls: [{ id: "r3", name: "workspace__read", arguments: { path: "note.txt" } }] }, { content: "ok" }]);
    const later = await fork(run.id, { from_step: 2, vars: { model: laterModel } });
    expect(later.status).toBe(201);
    await waitForRun(api(), later.body.id, (r) => r.status === "succeeded");
    const laterSteps = await runSteps(api(), later.body.id);
    expect(JSON.parse(laterSteps[3].output.messages.at(-1).content)).toMatchObject({ content: "original" });
  });

  it("answers bad input with a 4xx naming the field, and creates nothing", async () => {
    const model = unique("fork-bad");
    await llm().script(model, [{ content: "a" }, { content: "b" }, { content: "c" }, { content: "d" }]);
    const run = (await api().post("/runs?wait=true", { chain: fourTurns("four-turns"), input: "hi", vars: { model, tone: "dry" } })).body;

    const beyond = await fork(run.id, { from_step: 4 });
    expect(beyond.status).toBe(400);
    expect(beyond.body.error).toMatchObject({ path: "from_step", message: expect.stringContaining("beyond the run's 4 recorded steps") });
    expect((await fork(run.id, { from_step: -1 })).body.error.path).toBe("from_step");
    expect((await fork(run.id, {})).body.error.path).toBe("from_step");
    const broken = await fork(run.id, { from_step: 1, chain: { id: "four-turns", tasks: [{ id: "turn0", handler: "no_such_handler" }] } });
    expect(broken.status).toBe(400);
    expect(broken.body.error.path).toBe("chain.tasks[0].handler");
    const noTask = await fork(run.id, { from_step: 1, chain: { id: "four-turns", tasks: [{ id: "other", handler: "noop" }] } });
    expect(noTask.status).toBe(400);
    expect(noTask.body.error.path).toBe("chain");
    const noPatchTarget = await fork(run.id, { from_step: 0, patch: "x" });
    expect(noPatchTarget.body.error.path).toBe("patch");
    const missing = await fork(`no-such-run-${Date.now()}`, { from_step: 0 });
    expect(missing.status).toBe(404);

    expect((await api().get(`/runs?forked_from=${run.id}`)).body.data).toEqual([]);
  });
});

describe("replaying a run", () => {
  let service: ToolService;
  const svc = `replaysvc${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    service = await startToolService({ records: 10 });
    expect((await api().post("/tools", { name: svc, type: "openapi", url: service.url })).status).toBe(201);
  });

  afterAll(async () => {
    await api().delete(`/tools/${svc}`);
    await service?.close();
  });

  it("replays an unchanged code-mode run with a repair without divergence, calling no provider, tool or isolate", async () => {
    const model = unique("replay-code");
    const broken = `const w = await tools.${svc}.get_weather({ city: "Oslo" });\nreturn { answer: w.forecast.today };`;
    const working = `const w = await tools.${svc}.get_weather({ city: "Oslo" });\nreturn { answer: w.city + ": " + w.conditions };`;
    await llm().script(model, [{ content: broken }, { content: working }]);
    const run = (await api().post("/runs?wait=true", { chain_id: "code-mode", input: "Weather in Oslo?", vars: { model } })).body;
    expect(run.status).toBe("succeeded");
    const steps = await runSteps(api(), run.id);
    expect(steps.map((s) => s.task_id)).toContain("repair_js");
    expect(steps.find((s) => s.task_id === "run_js").output.calls[0].result).toMatchObject({ city: "Oslo" });
    const llmCalls = (await llm().requests(model)).length;
    const toolCalls = service.calls.length;

    const res = await api().post(`/runs/${run.id}/replay`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ run_id: run.id, replayable: true, diverged: false, first_divergence: null });
    expect(res.body.steps.map((s: { task_id: string }) => s.task_id)).toEqual(steps.map((s) => s.task_id));
    expect((await llm().requests(model)).length).toBe(llmCalls);
    // Each program calls the service, so an isolate running either again would show here.
    expect(service.calls.length).toBe(toolCalls);
    expect(await runSteps(api(), run.id)).toEqual(steps);
  });

  it("names the step and the two transitions when a branch condition changed, and both prompts when a system prompt did", async () => {
    const model = unique("replay-edit");
    await llm().script(model, [{ tool_calls: [{ id: "w1", name: "workspace__write", arguments: { path: "a", content: "x" } }] }, { content: "done" }]);
    const run = (await api().post("/runs?wait=true", { chain: toolChat, input: "go", vars: { model } })).body;
    expect(run.status).toBe("succeeded");

    const branch = structuredClone(toolChat);
    branch.tasks[0]!.transition!.branches[0]!.when = "never";
    const routed = await api().post(`/runs/${run.id}/replay`, { chain: branch });
    expect(routed.body).toMatchObject({ replayable: true, diverged: true, first_divergence: { step: 0, task_id: "chat", reason: "transition", recorded: "tools", replayed: "end" } });

    const prompt = structuredClone(toolChat) as typeof toolChat & { tasks: Array<{ system_instruction?: string }> };
    prompt.tasks[0]!.system_instruction = "Be terse.";
    const prompted = await api().post(`/runs/${run.id}/replay`, { chain: prompt });
    const divergence = prompted.body.first_divergence;
    expect(divergence).toMatchObject({ step: 0, task_id: "chat", reason: "effect" });
    expect(divergence.recorded.request.messages).toEqual([{ role: "user", content: "go" }]);
    expect(divergence.replayed.request.messages).toEqual([
      { role: "system", content: "Be terse." },
      { role: "user", content: "go" },
    ]);

    expect((await api().post(`/runs/${run.id}/replay`, { chain: { id: "x", tasks: [{ id: "a", handler: "nope" }] } })).body.error.path).toBe("chain.tasks[0].handler");
    expect((await api().post(`/runs/no-such-run-${Date.now()}/replay`, {})).status).toBe(404);
  });

  it("replays a fork from the step it was forked at", async () => {
    const model = unique("replay-fork");
    await llm().script(model, [{ content: "1" }, { content: "2" }, { content: "3" }, { content: "4" }], { repeat: true });
    const run = (await api().post("/runs?wait=true", { chain: fourTurns("four-turns"), input: "hi", vars: { model, tone: "warm" } })).body;
    const forked = await fork(run.id, { from_step: 1, vars: { tone: "cold" } });
    await waitForRun(api(), forked.body.id, (r) => r.status === "succeeded");
    const res = await api().post(`/runs/${forked.body.id}/replay`, {});
    expect(res.body).toMatchObject({ replayable: true, diverged: false });
    expect(res.body.steps.map((s: { index: number }) => s.index)).toEqual([1, 2, 3]);
  });

  it("replays a chain's recent runs against an edited draft and counts those that would behave the same", async () => {
    const chainId = unique("replayed-chain");
    expect((await api().post("/chains", fourTurns(chainId))).status).toBe(201);
    const model = unique("chain-replay");
    await llm().script(model, [{ content: "ok" }], { repeat: true });
    const ids: string[] = [];
    for (const tone of ["warm", "cold"]) ids.push((await api().post("/runs?wait=true", { chain_id: chainId, input: "hi", vars: { model, tone } })).body.id);
    const calls = (await llm().requests(model)).length;

    const same = await api().post(`/chains/${chainId}/replay`, {});
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ chain_id: chainId, runs: 2, same: 2, diverged: 0, not_replayable: 0 });

    const draft = fourTurns(chainId);
    draft.tasks[2]!.prompt_template = "Turn two again: {{.input}}";
    const edited = await api().post(`/chains/${chainId}/replay`, { chain: draft, runs: ids });
    expect(edited.body).toMatchObject({ runs: 2, same: 0, diverged: 2 });
    for (const result of edited.body.results) expect(result.first_divergence).toMatchObject({ step: 2, task_id: "turn2", reason: "effect" });
    expect((await llm().requests(model)).length).toBe(calls);

    const wrongDraft = await api().post(`/chains/${chainId}/replay`, { chain: fourTurns("another-id") });
    expect(wrongDraft.body.error.path).toBe("chain.id");
  });
});
