/**
 * Replay runs a chain against a run's recorded effects and calls nothing: an unchanged chain
 * replays without divergence, an edited one is reported at the first step that behaves
 * otherwise, and a record that lacks or cut what a step needs is "not replayable".
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Chain } from "../../src/engine/chain";
import { EngineError } from "../../src/engine/errors";
import { parseChainText } from "../../src/engine/parse";
import { replayRun, type ReplayInput } from "../../src/engine/replay";
import { initialState, runToEnd, type StepRun } from "../../src/engine/step";
import { FakeLLM, FakeSandbox, FakeTools, callTools, chainOf, fakeEffects, say } from "./fakes";

const ENV = { toolNames: [], defaults: { model: "main-model", provider: "main" } };
const next = (goto: string) => ({ branches: [{ operator: "default" as const, when: "", goto }] });

function bundled(id: string): Chain {
  const { chain } = parseChainText(readFileSync(new URL(`../../chains/${id}.json`, import.meta.url), "utf8"));
  if (!chain) throw new Error(`chains/${id}.json does not parse`);
  return chain;
}

function replayOf(chain: Chain, input: unknown, steps: StepRun[]): ReplayInput {
  return { chain, state: initialState(chain, { run_id: "r", input }), steps: steps.map(({ record, effects }) => ({ record, effects })) };
}

const toolLoop = chainOf([
  {
    id: "chat",
    handler: "chat_completion",
    system_instruction: "Be brief. Rounds used: {{edge_count:chat->tools}}.",
    execute_config: { model: "{{var:model}}", tools: ["search"] },
    transition: {
      branches: [
        { operator: "equals", when: "tool-call", goto: "tools" },
        { operator: "default", when: "", goto: "end" },
      ],
    },
  },
  { id: "tools", handler: "execute_tool_calls", input_var: "chat", transition: next("chat") },
]);

async function recordedToolLoop() {
  const llm = new FakeLLM([callTools(["search", { q: "oslo" }]), say("Sunny.")]);
  const tools = new FakeTools({ search: (args) => `results for ${(args as { q: string }).q}` });
  const run = await runToEnd(toolLoop, { run_id: "r", input: "Weather?" }, fakeEffects({ llm, tools }), ENV);
  expect(run.state.status).toBe("succeeded");
  return run.steps;
}

describe("replaying a recorded run", () => {
  it("replays an unchanged tool loop without divergence", async () => {
    const steps = await recordedToolLoop();
    const report = await replayRun(replayOf(toolLoop, "Weather?", steps));
    expect(report).toMatchObject({ replayable: true, diverged: false, first_divergence: null });
    expect(report.steps.map((step) => [step.task_id, step.eval, step.goto])).toEqual([
      ["chat", "tool-call", "tools"],
      ["tools", "executed", "chat"],
      ["chat", "executed", "end"],
    ]);
  });

  it("replays an unchanged code-mode run with a repair from its record alone", async () => {
    const chain = bundled("code-mode");
    const llm = new FakeLLM([say("return broken.answer"), say("```js\nreturn { answer: 'ok' }\n```")]);
    const sandbox = new FakeSandbox((code) => (code.includes("broken") ? { ok: false, error: "ReferenceError: broken is not defined" } : { ok: true, result: { answer: "ok" } }));
    const run = await runToEnd(chain, { run_id: "r", input: "Do it" }, fakeEffects({ llm, sandbox, tools: new FakeTools({ search: () => "x" }) }), ENV);
    expect(run.steps.map((step) => step.task_id)).toEqual(["generate_js", "run_js", "eval_js_result", "repair_js", "run_js", "eval_js_result", "answer"]);

    const report = await replayRun(replayOf(chain, "Do it", run.steps));
    expect(report).toMatchObject({ replayable: true, diverged: false });
    expect(report.steps.map((step) => step.eval)).toEqual(["ok", "error", "false", "ok", "ok", "true", "ok"]);
  });

  it("replays an embedding step from its record, and reports other input as a divergence", async () => {
    const chain = chainOf([{ id: "embed", handler: "embedding", execute_config: { model: "embedder" } }]);
    const run = await runToEnd(chain, { run_id: "r", input: ["a", "bb"] }, fakeEffects(), ENV);
    expect(run.state.status).toBe("succeeded");
    expect(await replayRun(replayOf(chain, ["a", "bb"], run.steps))).toMatchObject({ replayable: true, diverged: false });
    const other = await replayRun(replayOf(chain, ["a", "other"], run.steps));
    expect(other).toMatchObject({ diverged: true, first_divergence: { step: 0, task_id: "embed" } });
  });

  it("names the step and both transitions when a branch condition changed", async () => {
    const steps = await recordedToolLoop();
    const edited = structuredClone(toolLoop);
    edited.tasks[0]!.transition!.branches![0] = { operator: "equals", when: "never", goto: "tools" };
    const report = await replayRun(replayOf(edited, "Weather?", steps));
    expect(report.diverged).toBe(true);
    expect(report.first_divergence).toMatchObject({ step: 0, task_id: "chat", reason: "transition", recorded: "tools", replayed: "end" });
  });

  it("names the step and shows both prompts when a system prompt changed", async () => {
    const steps = await recordedToolLoop();
    const edited = structuredClone(toolLoop);
    edited.tasks[0]!.system_instruction = "Be thorough. Rounds used: {{edge_count:chat->tools}}.";
    const report = await replayRun(replayOf(edited, "Weather?", steps));
    const divergence = report.first_divergence!;
    expect(divergence).toMatchObject({ step: 0, task_id: "chat", reason: "effect" });
    const promptOf = (side: unknown) => (side as { request: { messages: Array<{ content: string }> } }).request.messages[0]!.content;
    expect(promptOf(divergence.recorded)).toBe("Be brief. Rounds used: 0.");
    expect(promptOf(divergence.replayed)).toBe("Be thorough. Rounds used: 0.");
  });

  it("reports a tool called with other arguments as a divergence of that step, showing both calls", async () => {
    const lookup = (q: string) => chainOf([{ id: "look", handler: "hook", hook: { name: "h", tool_name: "search", args: { q } }, transition: next("end") }]);
    const tools = new FakeTools({ search: (args) => `results for ${(args as { q: string }).q}` });
    const run = await runToEnd(lookup("oslo"), { run_id: "r", input: "" }, fakeEffects({ tools }), ENV);
    const report = await replayRun(replayOf(lookup("bergen"), "", run.steps));
    expect(report.first_divergence).toMatchObject({
      step: 0,
      reason: "effect",
      recorded: { kind: "tools.call", request: { name: "search", args: { q: "oslo" } } },
      replayed: { kind: "tools.call", request: { name: "search", args: { q: "bergen" } } },
    });
    expect(report.first_divergence?.message).toContain('tool "search" with other arguments');
  });

  it("reports a task that now runs another handler", async () => {
    const steps = await recordedToolLoop();
    const edited = structuredClone(toolLoop);
    edited.tasks[1] = { id: "tools", handler: "noop", transition: next("chat") };
    const report = await replayRun(replayOf(edited, "Weather?", steps));
    expect(report.first_divergence).toMatchObject({ step: 1, reason: "handler", recorded: "execute_tool_calls", replayed: "noop" });
  });

  it("says a run recorded without effects is not replayable, and why", async () => {
    const steps = await recordedToolLoop();
    const old = replayOf(toolLoop, "Weather?", steps);
    const report = await replayRun({ ...old, steps: old.steps.map(({ record }) => ({ record })) });
    expect(report).toMatchObject({ replayable: false, diverged: false, first_divergence: null });
    expect(report.reason).toMatch(/step 0 .*recorded without its effects/);
  });

  it("says a step whose tool result was cut is not replayable rather than replaying it wrongly", async () => {
    const chain = chainOf([
      { id: "fetch", handler: "hook", hook: { name: "h", tool_name: "big", args: {} }, transition: next("end") },
    ]);
    const tools = new FakeTools({ big: () => "x".repeat(300 * 1024) });
    const run = await runToEnd(chain, { run_id: "r", input: "" }, fakeEffects({ tools }), ENV);
    const report = await replayRun(replayOf(chain, "", run.steps));
    expect(report.replayable).toBe(false);
    expect(report.reason).toMatch(/step 0 .*tools\.call result was cut in the record \(\d+ bytes\)/);
  });

  it("ends a step that timed out around an effect the same way, without waiting", async () => {
    const chain = chainOf([
      { id: "ask", handler: "chat_completion", timeout: "50ms", execute_config: { model: "m" }, transition: { on_failure: "end", branches: next("end").branches } },
    ]);
    const llm = new FakeLLM([() => new Promise(() => undefined)]);
    const run = await runToEnd(chain, { run_id: "r", input: "hi" }, fakeEffects({ llm }), ENV);
    expect(run.steps[0]!.result.error?.type).toBe("timeout");
    expect(run.steps[0]!.effects.interrupted).toMatchObject({ type: "timeout" });

    const started = Date.now();
    const report = await replayRun(replayOf(chain, "hi", run.steps));
    expect(report).toMatchObject({ replayable: true, diverged: false });
    expect(Date.now() - started).toBeLessThan(40);
  });

  it("throws a recorded tool failure again, so the step answers the model the same way", async () => {
    const llm = new FakeLLM([callTools(["search", { q: "oslo" }]), say("Sorry.")]);
    const tools = new FakeTools({
      search: () => {
        throw new TypeError("socket hang up");
      },
    });
    const run = await runToEnd(toolLoop, { run_id: "r", input: "Weather?" }, fakeEffects({ llm, tools }), ENV);
    expect(run.steps[1]!.effects.effects).toEqual([
      expect.objectContaining({ kind: "tools.list" }),
      { kind: "tools.call", request: { name: "search", args: { q: "oslo" } }, error: { type: "TypeError", message: "socket hang up", native: true } },
    ]);
    const report = await replayRun(replayOf(toolLoop, "Weather?", run.steps));
    expect(report).toMatchObject({ replayable: true, diverged: false });
  });

  it("replays a recorded LLM error as the same error and the same retry", async () => {
    const chain = chainOf([
      { id: "ask", handler: "chat_completion", execute_config: { model: "m", retry_policy: { max_attempts: 2, initial_backoff: "1s", max_backoff: "5s", jitter: 0.5 } }, transition: next("end") },
    ]);
    const llm = new FakeLLM([new EngineError("provider_error", "busy", { retryable: true }), say("fine")]);
    const run = await runToEnd(chain, { run_id: "r", input: "hi" }, fakeEffects({ llm }), ENV);
    expect(run.steps.map((step) => step.record.goto)).toEqual(["ask", "end"]);
    const report = await replayRun(replayOf(chain, "hi", run.steps));
    expect(report).toMatchObject({ replayable: true, diverged: false });
    expect(report.steps.map((step) => step.error)).toEqual(["provider_error", null]);
  });
});
