import { describe, expect, it } from "vitest";
import type { RunView } from "../../src/engine/records";
import { boundResult, boundView, VIEW_BOUNDS } from "../../src/run/bounds";

const view = (over: Partial<RunView>): RunView => ({
  id: "r",
  chain_id: "c",
  chain_version: 1,
  status: "failed",
  input: null,
  output: null,
  error: null,
  usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  step_count: 1,
  current_task: null,
  created_at: 0,
  started_at: 0,
  finished_at: 0,
  ...over,
});

describe("a run's D1 row", () => {
  it("keeps input, output and error whole when they are small", () => {
    const small = view({ input: { a: 1 }, output: "x".repeat(1000), error: { type: "t", message: "m" } });
    expect(boundView(small)).toEqual(small);
  });

  it("fits in one D1 row whatever the run produced: each part is cut with a marker that says so", () => {
    const huge = view({ input: "i".repeat(3_000_000), output: { text: "o".repeat(12_000_000) }, error: { type: "t", message: "e".repeat(5_000_000), task_id: "js" } });
    const bounded = boundView(huge);
    expect(bounded.input).toMatchObject({ truncated: true, original_bytes: 3_000_000 });
    expect(bounded.output).toMatchObject({ truncated: true, original_bytes: 12_000_011 });
    expect(bounded.error).toEqual({ type: "t", task_id: "js", message: `${"e".repeat(VIEW_BOUNDS.error_chars)}… (5000000 characters)` });
    expect(JSON.stringify(bounded).length).toBeLessThan(2_000_000);
  });

  it("shortens a step result's error message before it reaches the state and the events", () => {
    const result = boundResult({ output: null, eval: "", error: { type: "sandbox", message: "z".repeat(100_000), retryable: false } });
    expect(result.error?.message.length).toBeLessThan(VIEW_BOUNDS.error_chars + 40);
    expect(result.error).toMatchObject({ type: "sandbox", retryable: false });
  });
});
