/**
 * A fork's starting state is rebuilt from the record by folding the recorded results through
 * `advance`: it equals the live run's state before that step, with a patch applied to the
 * output of the step before, and it refuses what the record cut.
 */
import { describe, expect, it } from "vitest";
import type { ChatHistory } from "../../src/engine/chat";
import { stateBefore } from "../../src/engine/fork";
import { initialState, runToEnd } from "../../src/engine/step";
import { FakeLLM, FakeTools, callTools, chainOf, fakeEffects, say } from "./fakes";

const ENV = { toolNames: [], defaults: { model: "m" } };
const chain = chainOf([
  {
    id: "chat",
    handler: "chat_completion",
    execute_config: { model: "{{var:model}}", tools: ["search"] },
    transition: {
      branches: [
        { operator: "equals", when: "tool-call", goto: "tools" },
        { operator: "default", when: "", goto: "end" },
      ],
    },
  },
  { id: "tools", handler: "execute_tool_calls", input_var: "chat", transition: { branches: [{ operator: "default", when: "", goto: "chat" }] } },
]);

async function recorded() {
  const llm = new FakeLLM([callTools(["search", { q: "a" }]), callTools(["search", { q: "b" }]), say("done")]);
  const tools = new FakeTools({ search: (args) => `found ${(args as { q: string }).q}` });
  return runToEnd(chain, { run_id: "r", input: "go" }, fakeEffects({ llm, tools }), ENV);
}

const initial = () => initialState(chain, { run_id: "r", input: "go" });
const options = { defaults: () => ENV.defaults };

describe("the state a fork starts from", () => {
  it("equals the live run's state before the step, without running anything", async () => {
    const run = await recorded();
    const records = run.steps.map((step) => step.record);
    const folded = stateBefore(chain, initial(), records, 3, options);
    if (!folded.ok) throw new Error(folded.message);
    expect(folded.state).toMatchObject({ status: "running", current_task: "tools", step_count: 3, edge_counts: { "chat->tools": 2, "tools->chat": 1 } });
    expect(folded.state.outputs.chat).toEqual(run.steps[2]!.result.output);
    expect(folded.state.usage.total_tokens).toBe(30);
  });

  it("puts the patch in place of the output of the step before", async () => {
    const run = await recorded();
    const patched: ChatHistory = { kind: "chat", messages: [{ role: "user", content: "go" }, callTools(["search", { q: "patched" }])] };
    const folded = stateBefore(chain, initial(), run.steps.map((step) => step.record), 1, { ...options, patch: patched });
    if (!folded.ok) throw new Error(folded.message);
    expect(folded.state.outputs.chat).toEqual(patched);
    expect(folded.state.previous_output).toEqual(patched);
    expect(folded.state.current_task).toBe("tools");
  });

  it("refuses to copy an output the record cut", async () => {
    const run = await recorded();
    const records = run.steps.map((step) => step.record);
    records[0] = { ...records[0]!, output: { truncated: true, original_bytes: 400_000, preview: "{" } };
    const folded = stateBefore(chain, initial(), records, 2, options);
    expect(folded).toMatchObject({ ok: false, message: expect.stringContaining('task "chat" was cut in the record') });
  });

  it("refuses a record whose transitions the chain does not take again", async () => {
    const run = await recorded();
    const records = run.steps.map((step) => step.record);
    records[0] = { ...records[0]!, goto: "end" };
    expect(stateBefore(chain, initial(), records, 2, options)).toMatchObject({ ok: false, message: expect.stringContaining("step 0") });
  });
});
