import { describe, expect, it } from "vitest";
import type { SandboxEnvelope, Step } from "../../ui/src/api/types";
import { runPrograms, stepPrograms } from "../../ui/src/lib/programs";

const envelope = (code: string, ok = true): SandboxEnvelope => ({ ok, result: ok ? 1 : null, ...(ok ? {} : { error: "Error: no" }), logs: [], calls: [], code, duration_ms: 2 });

function step(index: number, handler: string, output: unknown): Step {
  return { index, task_id: handler, handler, input: null, output, eval: "", goto: "end", started_at: 0, duration_ms: 1, error: null, attempt: 1, model: null, usage: null };
}

describe("the programs of a run", () => {
  it("takes run_js outputs and execute_js results, in order, and not a later step that passes an envelope on", () => {
    const toolsStep = step(2, "execute_tool_calls", {
      kind: "chat",
      messages: [
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "execute_js", arguments: "{}" } }, { id: "c2", type: "function", function: { name: "lookup", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "c1", content: JSON.stringify(envelope("return 2")) },
        { role: "tool", tool_call_id: "c2", content: JSON.stringify(envelope("not a program")) },
      ],
    });
    const steps = [step(0, "run_js", envelope("throw new Error('no')", false)), step(1, "print", envelope("throw new Error('no')", false)), toolsStep];
    expect(runPrograms(steps).map((p) => [p.step.index, p.envelope.code])).toEqual([
      [0, "throw new Error('no')"],
      [2, "return 2"],
    ]);
    expect(stepPrograms(step(3, "run_js", { not: "an envelope" }))).toEqual([]);
  });
});
