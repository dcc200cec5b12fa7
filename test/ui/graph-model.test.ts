import { describe, expect, it } from "vitest";
import type { Chain, RunView, Step } from "../../ui/src/api/types";
import { chainGraph, sketchChain, type Graph } from "../../ui/src/lib/graph-model";

const chain: Chain = {
  id: "loop",
  tasks: [
    {
      id: "ask",
      handler: "chat_completion",
      transition: {
        on_failure: "bail",
        branches: [
          { operator: "edge_traversed_at_least", edge: "ask->work", when: "2", goto: "wrap" },
          { operator: "equals", when: "tool-call", goto: "work" },
          { operator: "default", when: "", goto: "end" },
        ],
      },
    },
    { id: "work", handler: "execute_tool_calls", transition: { branches: [{ operator: "default", when: "", goto: "ask" }] } },
    { id: "wrap", handler: "chat_completion" },
    { id: "bail", handler: "raise_error" },
  ],
};

function step(index: number, task_id: string, evalValue: string, goto: string, extra: Partial<Step> = {}): Step {
  return { index, task_id, handler: "noop", input: null, output: null, eval: evalValue, goto, started_at: 0, duration_ms: 1, error: null, attempt: 1, model: null, usage: null, ...extra };
}

function run(status: RunView["status"], extra: Partial<RunView> = {}): RunView {
  return { id: "r", chain_id: "loop", chain_version: 0, status, input: null, output: null, error: null, usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }, step_count: 0, current_task: null, created_at: 0, started_at: 0, finished_at: 0, ...extra };
}

const counts = (graph: Graph) => Object.fromEntries(graph.edges.map((e) => [`${e.from}->${e.to} ${e.label}`, e.count]));
const states = (graph: Graph) => Object.fromEntries(graph.nodes.map((n) => [n.id, n.state]));

describe("chainGraph", () => {
  it("draws every branch as its own edge labelled with its condition, on_failure apart, and tasks without branches to the end", () => {
    const graph = chainGraph(chain);
    expect(graph.edges.map((e) => [e.from, e.to, e.label, e.kind])).toEqual([
      ["ask", "wrap", "ask->work ≥ 2", "branch"],
      ["ask", "work", 'equals "tool-call"', "branch"],
      ["ask", "end", "default", "branch"],
      ["ask", "bail", "on failure", "failure"],
      ["work", "ask", "default", "branch"],
      ["wrap", "end", "", "branch"],
      ["bail", "end", "", "branch"],
    ]);
    expect(states(graph)).toEqual({ ask: "unvisited", work: "unvisited", wrap: "unvisited", bail: "unvisited", end: "unvisited" });
  });

  it("counts each edge a run took, picking the branch whose condition held with the counts of that moment", () => {
    const steps = [
      step(0, "ask", "tool-call", "work"),
      step(1, "work", "executed", "ask"),
      step(2, "ask", "tool-call", "work"),
      step(3, "work", "executed", "ask"),
      step(4, "ask", "tool-call", "wrap"),
      step(5, "wrap", "executed", "end"),
    ];
    const graph = chainGraph(chain, { run: run("succeeded"), steps, current: null });
    expect(counts(graph)).toMatchObject({ "ask->work equals \"tool-call\"": 2, "work->ask default": 2, "ask->wrap ask->work ≥ 2": 1, "wrap->end ": 1, "ask->end default": 0 });
    expect(states(graph)).toEqual({ ask: "visited", work: "visited", wrap: "visited", bail: "unvisited", end: "visited" });
  });

  it("does not count a retried attempt, counts the on_failure route, and marks the task a run failed in", () => {
    const steps = [
      step(0, "ask", "error", "ask", { error: { type: "provider_error", message: "503" }, retry: { delay_ms: 10, attempt: 2 } }),
      step(1, "ask", "error", "bail", { error: { type: "provider_error", message: "503" } }),
      step(2, "bail", "error", "end", { error: { type: "raised", message: "gave up" } }),
    ];
    const graph = chainGraph(chain, { run: run("failed", { error: { type: "raised", message: "gave up", task_id: "bail" } }), steps, current: null });
    expect(counts(graph)).toMatchObject({ "ask->bail on failure": 1, "bail->end ": 0, "ask->end default": 0 });
    expect(states(graph)).toMatchObject({ ask: "visited", bail: "failed", end: "unvisited" });
  });

  it("marks the task running now", () => {
    const graph = chainGraph(chain, { run: run("running"), steps: [step(0, "ask", "tool-call", "work")], current: "work" });
    expect(states(graph)).toMatchObject({ ask: "visited", work: "current" });
  });
});

describe("sketchChain", () => {
  it("reads the graph's part of a half-typed document, and nothing until it has tasks", () => {
    expect(sketchChain({ id: "x" })).toBeUndefined();
    expect(sketchChain({ id: "x", tasks: [{ handler: "noop" }] })).toBeUndefined();
    expect(sketchChain({ id: "x", tasks: [{ id: "a", transition: { branches: [{ goto: "b" }, null] } }, { id: "b", handler: "noop" }] })).toEqual({
      id: "x",
      tasks: [
        { id: "a", handler: "?", transition: { branches: [{ operator: "default", when: "", goto: "b" }, { operator: "default", when: "", goto: "" }] } },
        { id: "b", handler: "noop", transition: { branches: [] } },
      ],
    });
  });
});
