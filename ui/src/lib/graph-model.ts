/**
 * A chain as a graph, and a run's trace on it: tasks are nodes, branches and `on_failure` routes
 * are edges (every branch its own edge, labelled with its condition), and the run's steps say
 * which edges it took how often and what state each task is in. Pure, so the inspector, the
 * chain editor and tests see the same graph.
 */
import { evaluateBranch, isEnd } from "../../../src/engine/transitions";
import type { Branch, Chain, RunView, Step, Task } from "../api/types";

export const END_NODE = "end";

export type NodeState = "visited" | "current" | "failed" | "unvisited";

export interface GraphNode {
  id: string;
  /** Absent for the end node. */
  handler?: string;
  state: NodeState;
}

export interface GraphEdge {
  /** Unique per edge: `from->to#n`. */
  key: string;
  from: string;
  to: string;
  label: string;
  kind: "branch" | "failure";
  /** The branch this edge draws; absent for `on_failure` and for a task without branches. */
  branch?: Branch;
  /** Times the run took this edge. */
  count: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface Trace {
  run: RunView;
  steps: Step[];
  /** The task running now, while the run is live (from its event stream). */
  current: string | null;
}

export function condition(branch: Branch): string {
  const when = branch.when.trim();
  switch (branch.operator) {
    case "default":
      return "default";
    case "edge_traversed_at_least":
      return `${branch.edge ?? "?"} ≥ ${when}`;
    case "gt":
      return `> ${when}`;
    case "lt":
      return `< ${when}`;
    case "in_range":
      return `in ${when}`;
    default:
      return `${branch.operator.replace("_", " ")} "${when}"`;
  }
}

export function chainGraph(chain: Chain, trace?: Trace): Graph {
  const edges: GraphEdge[] = [];
  const add = (from: string, to: string, kind: GraphEdge["kind"], branch?: Branch) => {
    const label = branch ? condition(branch) : kind === "failure" ? "on failure" : "";
    edges.push({ key: `${from}->${to}#${edges.length}`, from, to: isEnd(to) ? END_NODE : to, label, kind, ...(branch ? { branch } : {}), count: 0 });
  };
  for (const task of chain.tasks) {
    const branches = task.transition?.branches ?? [];
    if (branches.length === 0) add(task.id, END_NODE, "branch");
    for (const branch of branches) add(task.id, branch.goto, "branch", branch);
    const onFailure = task.transition?.on_failure;
    if (onFailure !== undefined && !isEnd(onFailure)) add(task.id, onFailure, "failure");
  }
  if (trace) countTraversals(trace, edges);
  const failedTask = trace?.run.status === "failed" ? (trace.run.error?.task_id ?? null) : null;
  const nodes: GraphNode[] = chain.tasks.map((task) => ({ id: task.id, handler: task.handler, state: taskState(task.id, trace, failedTask) }));
  const ended = edges.some((e) => e.to === END_NODE && e.count > 0);
  nodes.push({ id: END_NODE, state: ended ? "visited" : "unvisited" });
  return { nodes, edges };
}

function taskState(id: string, trace: Trace | undefined, failedTask: string | null): NodeState {
  if (!trace) return "unvisited";
  if (trace.current === id) return "current";
  if (failedTask === id) return "failed";
  return trace.steps.some((s) => s.task_id === id) ? "visited" : "unvisited";
}

/**
 * Replays the steps: each completed step moved along one edge. Where several edges join the same
 * two tasks, the one taken is the first whose condition held for the step's eval, with the edge
 * counts as they were then (the engine's own rule).
 */
function countTraversals(trace: Trace, edges: GraphEdge[]): void {
  const counts: Record<string, number> = {};
  const last = trace.steps.at(-1);
  for (const step of trace.steps) {
    if (step.retry) continue;
    const failedHere = trace.run.status === "failed" && step === last && trace.run.error?.task_id === step.task_id;
    const to = step.goto === null || isEnd(step.goto) ? END_NODE : step.goto;
    if (to === END_NODE && (step.error || failedHere)) continue;
    const kind = step.error ? "failure" : "branch";
    const candidates = edges.filter((e) => e.from === step.task_id && e.to === to && e.kind === kind);
    const edge = candidates.find((e) => e.branch && evaluateBranch(e.branch, step.eval, counts)) ?? candidates[0];
    if (!edge) continue;
    edge.count += 1;
    if (to !== END_NODE) counts[`${step.task_id}->${to}`] = (counts[`${step.task_id}->${to}`] ?? 0) + 1;
  }
}

/**
 * The part of an unchecked document the graph needs (tasks, their handlers and transitions), so
 * the editor can draw the chain being typed before it is valid; undefined until it has tasks.
 */
export function sketchChain(value: unknown): Chain | undefined {
  const doc = value as { id?: unknown; tasks?: unknown } | null | undefined;
  if (!doc || !Array.isArray(doc.tasks)) return undefined;
  const tasks = doc.tasks.flatMap((raw: unknown) => {
    const t = raw as { id?: unknown; handler?: unknown; transition?: { on_failure?: unknown; branches?: unknown } } | null;
    if (!t || typeof t.id !== "string") return [];
    const branches = Array.isArray(t.transition?.branches) ? (t.transition.branches as Array<Record<string, unknown> | null>) : [];
    const onFailure = t.transition?.on_failure;
    return [
      {
        id: t.id,
        handler: String(t.handler ?? "?") as Task["handler"],
        transition: {
          ...(typeof onFailure === "string" ? { on_failure: onFailure } : {}),
          branches: branches.map((b) => ({
            operator: String(b?.operator ?? "default") as Branch["operator"],
            when: String(b?.when ?? ""),
            goto: String(b?.goto ?? ""),
            ...(typeof b?.edge === "string" ? { edge: b.edge } : {}),
          })),
        },
      },
    ];
  });
  return tasks.length > 0 ? { id: String(doc.id ?? ""), tasks } : undefined;
}
