import { describe, expect, it } from "vitest";
import { advance, executeStep, initialState, runToEnd, type StepEnv } from "../../src/engine/step";
import type { Chain, Task } from "../../src/engine/chain";
import { EngineError } from "../../src/engine/errors";
import { withRouting, type Routing } from "../../src/engine/routing";
import type { RunState, StepResult } from "../../src/engine/run-state";
import { FakeLLM, FakeTools, NOW, USAGE, chainOf, fakeEffects, providerError, say } from "./fakes";

const ENV: StepEnv = { now: NOW, toolNames: ["search", "weather"], defaults: { model: "default-model", provider: "default-provider" } };

function ok(output: unknown, evalValue: string, usage = USAGE): StepResult {
  return { output, eval: evalValue, usage };
}

function failure(type: string, retryable: boolean, message = `${type} happened`): StepResult {
  return { output: undefined, eval: "error", error: { type, message, retryable } };
}

/** A run that is at `taskId`, as if earlier steps had produced `outputs`. */
function at(chain: Chain, taskId: string, extra: Partial<RunState> = {}): RunState {
  return { ...initialState(chain, { run_id: "run-1", input: "hello", vars: { name: "Ada" } }), current_task: taskId, ...extra };
}

describe("initialState", () => {
  it("starts running at the first task with nothing spent", () => {
    const chain = chainOf([{ id: "first", handler: "noop" }, { id: "second", handler: "noop" }]);
    const state = initialState(chain, { run_id: "r1", input: { q: 1 }, vars: { lang: "en" } });
    expect(state).toMatchObject({
      run_id: "r1",
      chain_id: "test-chain",
      status: "running",
      current_task: "first",
      input: { q: 1 },
      vars: { lang: "en" },
      outputs: {},
      edge_counts: {},
      step_count: 0,
      attempt: 1,
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
  });
});

describe("executeStep", () => {
  it("expands macros, renders the prompt and picks the model from vars and defaults", async () => {
    const task: Task = {
      id: "greet",
      handler: "prompt_to_string",
      system_instruction: "Greet {{var:name}} on {{now:2006-01-02}}. Tools: {{toolservice:list}}. Loops: {{edge_count:greet->greet}}.",
      prompt_template: "Say hi to {{.input}} from {{.lookup.city}}",
      execute_config: { model: "{{var:model}}" },
    };
    const chain = chainOf([task]);
    const llm = new FakeLLM([say("Hi Ada!")]);
    const state = at(chain, "greet", { outputs: { lookup: { city: "Oslo" } }, edge_counts: { "greet->greet": 2 } });
    const result = await executeStep(chain, state, fakeEffects({ llm }), ENV);

    expect(result).toEqual({ output: "Hi Ada!", eval: "Hi Ada!", usage: USAGE, model: "default-model" });
    const request = llm.requests[0];
    expect(request?.model).toBe("default-model");
    expect(request?.provider).toBe("default-provider");
    expect(request?.messages[0]?.content).toContain("Greet Ada on 2024-01-02. Tools: search, weather. Loops: 2.");
    expect(request?.messages[1]?.content).toBe("Say hi to hello from Oslo");
  });

  it("uses the retry fallback model over the task's own", async () => {
    const task: Task = { id: "t", handler: "prompt_to_string", execute_config: { model: "big" } };
    const chain = chainOf([task]);
    const llm = new FakeLLM([say("ok")]);
    await executeStep(chain, at(chain, "t", { model_override: "small", attempt: 3 }), fakeEffects({ llm }), ENV);
    expect(llm.requests[0]?.model).toBe("small");
  });

  it("feeds a task its input_var's output, else the previous output, else the run input", async () => {
    const chain = chainOf([
      { id: "a", handler: "noop" },
      { id: "b", handler: "noop", input_var: "a" },
    ]);
    const effects = fakeEffects();
    expect((await executeStep(chain, at(chain, "a"), effects, ENV)).output).toBe("hello");
    expect((await executeStep(chain, at(chain, "a", { previous_output: "prev" }), effects, ENV)).output).toBe("prev");
    const later = at(chain, "b", { outputs: { a: "from a" }, previous_output: "prev" });
    expect((await executeStep(chain, later, effects, ENV)).output).toBe("from a");
  });

  it("shapes the output with output_template, where the new output is the task's own name", async () => {
    const task: Task = { id: "lookup", handler: "noop", output_template: "{{.lookup.city}} ({{.previous_output.country}})" };
    const chain = chainOf([task]);
    const state = at(chain, "lookup", { previous_output: { city: "Oslo", country: "NO" } });
    const result = await executeStep(chain, state, fakeEffects(), ENV);
    expect(result.output).toBe("Oslo (NO)");
  });

  it("turns chain mistakes into non-retryable step errors instead of throwing", async () => {
    const cases: Array<[Task, string]> = [
      [{ id: "t", handler: "noop", system_instruction: "{{var:missing}}" }, "missing_var"],
      [{ id: "t", handler: "noop", prompt_template: "{{.nowhere}}" }, "unknown_template_ref"],
      [{ id: "t", handler: "noop", input_var: "ghost" }, "missing_var"],
      [{ id: "t", handler: "hook" }, "validation"],
      [{ id: "t", handler: "noop", timeout: "soon" }, "invalid_duration"],
    ];
    for (const [task, type] of cases) {
      const chain = chainOf([task]);
      const result = await executeStep(chain, at(chain, "t"), fakeEffects(), ENV);
      expect(result.error).toMatchObject({ type, task_id: "t", retryable: false });
      expect(result.eval).toBe("error");
    }
  });

  it("keeps whether an effect's error is retryable, and wraps unexpected exceptions", async () => {
    const task: Task = { id: "t", handler: "prompt_to_string" };
    const chain = chainOf([task]);
    const overloaded = await executeStep(chain, at(chain, "t"), fakeEffects({ llm: new FakeLLM([providerError(503)]) }), ENV);
    expect(overloaded.error).toEqual({ type: "provider_error", message: "provider answered HTTP 503", task_id: "t", retryable: true });

    const badRequest = await executeStep(chain, at(chain, "t"), fakeEffects({ llm: new FakeLLM([providerError(400)]) }), ENV);
    expect(badRequest.error?.retryable).toBe(false);

    const crash = new FakeLLM([
      () => {
        throw new TypeError("cannot read properties of undefined");
      },
    ]);
    const crashed = await executeStep(chain, at(chain, "t"), fakeEffects({ llm: crash }), ENV);
    expect(crashed.error).toEqual({
      type: "handler_error",
      message: 'task "t" failed: cannot read properties of undefined',
      task_id: "t",
      retryable: false,
    });
  });

  it("records how the step's model call was routed, whether it was answered or failed", async () => {
    const task: Task = { id: "t", handler: "prompt_to_string" };
    const chain = chainOf([task]);
    const routing: Routing = { policy: "round_robin", candidates: [{ provider: "a", model: "m" }, { provider: "b", model: "m" }], skipped: [], served_by: { provider: "a", model: "m" } };
    const served = new FakeLLM([say("fine")]);
    const answered = await executeStep(chain, at(chain, "t"), fakeEffects({ llm: { chat: async (request) => ({ ...(await served.chat(request)), routing }) } }), ENV);
    expect(answered.routing).toEqual(routing);

    const none = { ...routing, skipped: [{ provider: "a", model: "m", reason: "failed" as const, detail: "provider_error: 503" }], served_by: null };
    const failing = { chat: async () => Promise.reject(withRouting(providerError(503), none)) };
    const failed = await executeStep(chain, at(chain, "t"), fakeEffects({ llm: failing }), ENV);
    expect(failed).toMatchObject({ eval: "error", routing: none });
  });

  it("counts the tokens of an answer that could not be used", async () => {
    const task: Task = { id: "n", handler: "prompt_to_int" };
    const chain = chainOf([task]);
    const result = await executeStep(chain, at(chain, "n"), fakeEffects({ llm: new FakeLLM([say("lots")]) }), ENV);
    expect(result.error?.type).toBe("parse_error");
    expect(result.usage).toEqual(USAGE);
    expect(advance(chain, at(chain, "n"), result, { random: 0.5 }).state.usage).toEqual(USAGE);
  });

  it("stops a task that outlives its timeout with a retryable error and aborts its work", async () => {
    const task: Task = { id: "slow", handler: "prompt_to_string", timeout: "20ms" };
    const chain = chainOf([task]);
    const llm = new FakeLLM([() => new Promise<never>(() => {})]);
    const result = await executeStep(chain, at(chain, "slow"), fakeEffects({ llm }), ENV);

    expect(result.error).toEqual({ type: "timeout", message: 'task "slow" timed out after 20ms', task_id: "slow", retryable: true });
    expect(llm.signals[0]?.aborted).toBe(true);
  });

  it("stops when the caller cancels", async () => {
    const task: Task = { id: "slow", handler: "prompt_to_string" };
    const chain = chainOf([task]);
    const controller = new AbortController();
    const llm = new FakeLLM([
      () => {
        controller.abort();
        return new Promise<never>(() => {});
      },
    ]);
    const result = await executeStep(chain, at(chain, "slow"), fakeEffects({ llm }), ENV, { signal: controller.signal });
    expect(result.error).toMatchObject({ type: "cancelled", retryable: false });
  });

  it("passes client tools through to tasks that ask for them", async () => {
    const task: Task = { id: "chat", handler: "chat_completion", execute_config: { pass_clients_tools: true } };
    const chain = chainOf([task]);
    const llm = new FakeLLM([say("ok")]);
    const client_tools = [{ name: "open_file", parameters: {} }];
    await executeStep(chain, at(chain, "chat"), fakeEffects({ llm }), ENV, { client_tools });
    expect(llm.requests[0]?.tools).toEqual(client_tools);
  });
});

describe("advance", () => {
  const loop = chainOf([
    {
      id: "check",
      handler: "noop",
      transition: {
        branches: [
          { operator: "equals", when: "again", goto: "check" },
          { operator: "equals", when: "done", goto: "end" },
          { operator: "equals", when: "next", goto: "after" },
        ],
      },
    },
    { id: "after", handler: "noop" },
  ]);

  it("records the output, spends the usage and follows the matching branch", () => {
    const state = at(loop, "check", { attempt: 2, model_override: "small", usage: USAGE });
    const { state: next, transition } = advance(loop, state, ok({ n: 1 }, "again"), { random: 0.5 });

    expect(transition).toEqual({ from: "check", to: "check", eval: "again", branch: 0 });
    expect(next).toMatchObject({
      status: "running",
      current_task: "check",
      outputs: { check: { n: 1 } },
      previous_output: { n: 1 },
      edge_counts: { "check->check": 1 },
      step_count: 1,
      attempt: 1,
      usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 },
    });
    expect(next.model_override).toBeUndefined();
  });

  it("does not modify the state it is given", () => {
    const state = Object.freeze(at(loop, "check"));
    const before = structuredClone(state);
    advance(loop, state, ok("x", "again"), { random: 0.5 });
    expect(state).toEqual(before);
  });

  it('ends the run with the task\'s output on "goto: end" and after a task without branches', () => {
    const ended = advance(loop, at(loop, "check"), ok("final answer", "done"), { random: 0.5 });
    expect(ended.state).toMatchObject({ status: "succeeded", current_task: null, output: "final answer" });
    expect(ended.transition).toEqual({ from: "check", to: null, eval: "done", branch: 1 });

    const last = advance(loop, at(loop, "after"), ok("tail", "tail"), { random: 0.5 });
    expect(last.state).toMatchObject({ status: "succeeded", output: "tail" });
  });

  it("fails the run naming the eval and the task when no branch matches", () => {
    const { state } = advance(loop, at(loop, "check"), ok("x", "maybe"), { random: 0.5 });
    expect(state.status).toBe("failed");
    expect(state.error).toEqual({
      type: "no_transition",
      message: 'task "check" produced eval "maybe", which none of its 3 branches matches; add a "default" branch',
      task_id: "check",
    });
  });

  it("retries a retryable error on the same task with the policy's delay and fallback model", () => {
    const task: Task = {
      id: "ask",
      handler: "prompt_to_string",
      execute_config: {
        retry_policy: { max_attempts: 3, initial_backoff: "1s", max_backoff: "10s", jitter: 0, fallback_model_id: "small", fallback_after: 1 },
      },
    };
    const chain = chainOf([task]);
    const { state, transition } = advance(chain, at(chain, "ask"), failure("provider_error", true), { random: 0.5 });

    expect(transition).toEqual({ from: "ask", to: "ask", eval: "error", retry: { delay_ms: 1000, attempt: 2, model: "small" } });
    expect(state).toMatchObject({ status: "running", current_task: "ask", attempt: 2, model_override: "small", step_count: 0 });
  });

  it("reads vars and defaults in branch values and retry policies, as the step saw them", () => {
    const task: Task = {
      id: "score",
      handler: "prompt_to_int",
      execute_config: {
        retry_policy: { max_attempts: 2, initial_backoff: "1s", max_backoff: "1s", jitter: 0, fallback_model_id: "{{var:fallback}}" },
      },
      transition: {
        branches: [
          { operator: "gt", when: "{{var:threshold}}", goto: "end" },
          { operator: "default", when: "", goto: "score" },
        ],
      },
    };
    const chain = chainOf([task]);
    const state = at(chain, "score", { vars: { threshold: "5" } });
    const options = { random: 0.5, defaults: { fallback: "small" } };

    expect(advance(chain, state, ok(7, "7"), options).state.status).toBe("succeeded");
    expect(advance(chain, state, ok(3, "3"), options).state.current_task).toBe("score");
    expect(advance(chain, state, failure("provider_error", true), options).transition.retry?.model).toBe("small");
  });

  it("fails the run with the error once retries are spent and there is no on_failure", () => {
    const chain = chainOf([{ id: "ask", handler: "prompt_to_string", retry_on_failure: 1 }]);
    const { state } = advance(chain, at(chain, "ask", { attempt: 2 }), failure("provider_error", true, "HTTP 503"), { random: 0.5 });
    expect(state).toMatchObject({ status: "failed", current_task: null, error: { type: "provider_error", message: "HTTP 503", task_id: "ask" } });
  });

  it("routes a failure to on_failure with the error message as the next input", () => {
    const chain = chainOf([
      { id: "ask", handler: "prompt_to_string", transition: { on_failure: "bail", branches: [] } },
      { id: "bail", handler: "raise_error" },
    ]);
    const { state, transition } = advance(chain, at(chain, "ask"), failure("parse_error", false, "bad answer"), { random: 0.5 });
    expect(transition).toEqual({ from: "ask", to: "bail", eval: "error" });
    expect(state).toMatchObject({ status: "running", current_task: "bail", previous_output: "bad answer", edge_counts: { "ask->bail": 1 } });
  });

  it("never retries raise_error", () => {
    const chain = chainOf([{ id: "bail", handler: "raise_error", retry_on_failure: 5 }]);
    const { state } = advance(chain, at(chain, "bail"), failure("raised", true, "gave up"), { random: 0.5 });
    expect(state).toMatchObject({ status: "failed", error: { type: "raised", message: "gave up" } });
  });

  it("fails a run that reaches its step limit, preferring the caller's limit over the chain's", () => {
    const limited: Chain = { ...loop, max_steps: 3 };
    const state = at(limited, "check", { step_count: 2 });
    const stopped = advance(limited, state, ok("x", "again"), { random: 0.5 }).state;
    expect(stopped.status).toBe("failed");
    expect(stopped.error?.type).toBe("step_limit");
    expect(stopped.error?.message).toContain("run stopped at its limit of 3 steps");

    expect(advance(limited, state, ok("x", "again"), { random: 0.5, maxSteps: 10 }).state.status).toBe("running");
  });

  it("lets a run finish on its last allowed step", () => {
    const limited: Chain = { ...loop, max_steps: 3 };
    const { state } = advance(limited, at(limited, "check", { step_count: 2 }), ok("x", "done"), { random: 0.5 });
    expect(state.status).toBe("succeeded");
  });
});

describe("runToEnd", () => {
  it("ends a chain that loops forever with step_limit", async () => {
    const chain = chainOf([{ id: "spin", handler: "noop", transition: { branches: [{ operator: "default", when: "", goto: "spin" }] } }]);
    const { state, steps } = await runToEnd(chain, { run_id: "r", input: "x" }, fakeEffects(), { toolNames: [], defaults: {}, maxSteps: 25 });

    expect(state.status).toBe("failed");
    expect(state.error?.type).toBe("step_limit");
    expect(state.error?.message).toContain("limit of 25 steps");
    expect(steps).toHaveLength(25);
    expect(state.edge_counts["spin->spin"]).toBe(25);
  });

  it("stops at the default ceiling of 1000 steps", async () => {
    const chain = chainOf([{ id: "spin", handler: "noop", transition: { branches: [{ operator: "default", when: "", goto: "spin" }] } }]);
    const { state } = await runToEnd(chain, { run_id: "r", input: "x" }, fakeEffects(), { toolNames: [], defaults: {} });
    expect(state).toMatchObject({ status: "failed", step_count: 1000, error: { type: "step_limit" } });
  });

  it("replays to the same final state from recorded step results alone", async () => {
    const chain = chainOf([
      {
        id: "ask",
        handler: "prompt_to_int",
        execute_config: { retry_policy: { max_attempts: 3, initial_backoff: "1s", max_backoff: "5s", jitter: 0.5, fallback_model_id: "small" } },
        transition: {
          branches: [
            { operator: "edge_traversed_at_least", edge: "ask->ask", when: "2", goto: "end" },
            { operator: "lt", when: "10", goto: "ask" },
            { operator: "default", when: "", goto: "end" },
          ],
        },
      },
    ]);
    const llm = new FakeLLM([say("3"), providerError(503), say("not a number"), say("5"), say("7")]);
    const seeds = [0.1, 0.9, 0.4, 0.6, 0.3, 0.8];
    const randoms: number[] = [];
    const live = await runToEnd(chain, { run_id: "r", input: "count" }, fakeEffects({ llm }), { toolNames: [], defaults: {} }, {
      random: () => {
        const value = seeds[randoms.length] ?? 0.5;
        randoms.push(value);
        return value;
      },
    });

    let state = initialState(chain, { run_id: "r", input: "count" });
    const transitions = live.steps.map((step, index) => {
      const next = advance(chain, state, step.result, { random: randoms[index] ?? Number.NaN });
      state = next.state;
      return next.transition;
    });

    expect(live.state).toMatchObject({ status: "succeeded", output: 7, usage: { total_tokens: 60 } });
    expect(live.steps.filter((step) => step.transition.retry)).toHaveLength(2);
    expect(transitions).toEqual(live.steps.map((step) => step.transition));
    expect(state).toEqual(live.state);
  });

  it("retries without waiting and reports every step's task", async () => {
    const chain = chainOf([{ id: "ask", handler: "prompt_to_string", retry_on_failure: 2 }]);
    const llm = new FakeLLM([providerError(429), providerError(502), say("finally")]);
    const { state, steps } = await runToEnd(chain, { run_id: "r", input: "q" }, fakeEffects({ llm }), { toolNames: [], defaults: {} });

    expect(steps.map((step) => step.task_id)).toEqual(["ask", "ask", "ask"]);
    expect(state).toMatchObject({ status: "succeeded", output: "finally", step_count: 1 });
  });

  it("runs the tools a chat asks for and feeds the results back", async () => {
    const chain = chainOf([
      {
        id: "chat",
        handler: "chat_completion",
        execute_config: { tools: ["weather"] },
        transition: {
          branches: [
            { operator: "equals", when: "tool-call", goto: "tools" },
            { operator: "default", when: "", goto: "end" },
          ],
        },
      },
      { id: "tools", handler: "execute_tool_calls", input_var: "chat", transition: { branches: [{ operator: "default", when: "", goto: "chat" }] } },
    ]);
    const llm = new FakeLLM([
      (request) => {
        expect(request.messages.at(-1)?.content).toBe("Weather in Oslo?");
        return { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "weather", arguments: '{"city":"Oslo"}' } }] };
      },
      (request) => {
        expect(request.messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: "c1", content: "sunny in Oslo" });
        return say("It is sunny.");
      },
    ]);
    const tools = new FakeTools({ weather: (args) => `sunny in ${(args as { city: string }).city}` });
    const { state } = await runToEnd(chain, { run_id: "r", input: "Weather in Oslo?" }, fakeEffects({ llm, tools }), { toolNames: [], defaults: {} });

    expect(state.status).toBe("succeeded");
    expect(state.edge_counts).toEqual({ "chat->tools": 1, "tools->chat": 1 });
    expect(llm.remaining).toBe(0);
  });

  it("reports an error thrown by a fake tool as an engine error type, not a crash", async () => {
    const chain = chainOf([{ id: "h", handler: "hook", hook: { name: "h", tool_name: "boom", args: {} } }]);
    const tools = new FakeTools({
      boom: () => {
        throw new EngineError("tool_unavailable", "tool service is down", { retryable: false });
      },
    });
    const { state } = await runToEnd(chain, { run_id: "r", input: "" }, fakeEffects({ tools }), { toolNames: [], defaults: {} });
    expect(state.error).toEqual({ type: "tool_unavailable", message: "tool service is down", task_id: "h" });
  });
});
