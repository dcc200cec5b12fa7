/**
 * The chain drawn as a graph, laid out by dagre (top to bottom): tasks as boxes with their id and
 * handler, every branch an arrow labelled with its condition, `on_failure` routes dashed. With a
 * run's trace, the path it took is lit, each edge shows how often it was taken, and the task
 * running now is marked; a replay marks the task where it first diverged. Nodes carry
 * `data-task-id` and `data-state` and can be chosen with the keyboard.
 */
import dagre from "@dagrejs/dagre";
import { useMemo } from "preact/hooks";
import { END_NODE, type Graph, type GraphEdge, type GraphNode } from "../lib/graph-model";

const CHAR = 7.4;
const NODE_HEIGHT = 46;
const LABEL_HEIGHT = 18;
const MARGIN = 16;

interface Layout {
  width: number;
  height: number;
  nodes: Map<string, { x: number; y: number; width: number; height: number }>;
  edges: Map<string, { points: Array<{ x: number; y: number }>; x: number; y: number; width: number }>;
}

function nodeWidth(node: GraphNode): number {
  if (!node.handler) return 64;
  return Math.max(120, Math.max(node.id.length, (node.handler ?? "").length) * CHAR + 28);
}

/** Room for the label and a traversal count beside it. */
function labelWidth(edge: GraphEdge): number {
  return (edge.label.length + 5) * (CHAR - 0.8) + 10;
}

function layoutOf(graph: Graph): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: 36, ranksep: 56, edgesep: 18, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: nodeWidth(node), height: node.handler ? NODE_HEIGHT : 30 });
  for (const edge of graph.edges) g.setEdge(edge.from, edge.to, { width: labelWidth(edge), height: LABEL_HEIGHT, labelpos: "c" }, edge.key);
  dagre.layout(g);
  const nodes: Layout["nodes"] = new Map();
  for (const node of graph.nodes) {
    const n = g.node(node.id);
    nodes.set(node.id, { x: n.x, y: n.y, width: n.width, height: n.height });
  }
  const edges: Layout["edges"] = new Map();
  for (const edge of graph.edges) {
    const e = g.edge(edge.from, edge.to, edge.key);
    edges.set(edge.key, { points: e.points ?? [], x: e.x ?? 0, y: e.y ?? 0, width: e.width ?? 0 });
  }
  const size = g.graph();
  return { width: (size.width ?? 0) + 2, height: (size.height ?? 0) + 2, nodes, edges };
}

function pathOf(points: Array<{ x: number; y: number }>): string {
  if (points.length === 0) return "";
  const [first, ...rest] = points;
  if (rest.length < 2) return `M${first!.x},${first!.y}` + rest.map((p) => ` L${p.x},${p.y}`).join("");
  // A smooth curve through dagre's points: each inner point is a control point, segments meet halfway.
  let d = `M${first!.x},${first!.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const next = rest[i + 1]!;
    const end = i === rest.length - 2 ? next : { x: (p.x + next.x) / 2, y: (p.y + next.y) / 2 };
    d += ` Q${p.x},${p.y} ${end.x},${end.y}`;
  }
  return d;
}

interface Props {
  graph: Graph;
  /** Called when a task node is chosen (click or Enter). */
  onSelect?: (taskId: string) => void;
  selected?: string | null;
  /** The task where a replay first diverged. */
  diverged?: string | null;
}

export function ChainGraph({ graph, onSelect, selected, diverged }: Props) {
  const structure = graph.nodes.map((n) => `${n.id}:${n.handler ?? ""}`).join("|") + "#" + graph.edges.map((e) => e.key + e.label).join("|");
  // Layout depends on the chain alone, not on the run's progress.
  const layout = useMemo(() => layoutOf(graph), [structure]);
  const taken = graph.edges.some((e) => e.count > 0);
  return (
    <div class="graph" role="group" aria-label="Chain graph">
      <svg viewBox={`0 0 ${layout.width} ${layout.height}`} width={layout.width} height={layout.height} class={taken ? "graph-traced" : ""}>
        <defs>
          {["plain", "taken", "failure"].map((kind) => (
            <marker key={kind} id={`arrow-${kind}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" class={`arrow arrow-${kind}`} />
            </marker>
          ))}
        </defs>
        {graph.edges.map((edge) => {
          const at = layout.edges.get(edge.key);
          if (!at) return null;
          const marker = edge.count > 0 ? "taken" : edge.kind === "failure" ? "failure" : "plain";
          return (
            <g key={edge.key} class={`edge edge-${edge.kind}${edge.count > 0 ? " edge-taken" : ""}`} data-edge={`${edge.from}->${edge.to}`} data-count={edge.count}>
              <path d={pathOf(at.points)} marker-end={`url(#arrow-${marker})`} />
              {(edge.label || edge.count > 0) && (
                <text x={at.x} y={at.y + 4} text-anchor="middle" class="edge-label">
                  {edge.label}
                  {edge.count > 0 && <tspan class="edge-count">{` ×${edge.count}`}</tspan>}
                </text>
              )}
            </g>
          );
        })}
        {graph.nodes.map((node) => {
          const at = layout.nodes.get(node.id)!;
          const isTask = node.handler !== undefined;
          const choose = () => isTask && onSelect?.(node.id);
          return (
            <g
              key={node.id}
              class={`node node-${node.state}${selected === node.id ? " node-selected" : ""}${diverged === node.id ? " node-diverged" : ""}${isTask ? "" : " node-end"}`}
              transform={`translate(${at.x - at.width / 2},${at.y - at.height / 2})`}
              {...(isTask ? { "data-task-id": node.id, tabIndex: 0, role: "button" } : { "data-node": "end" })}
              data-state={node.state}
              {...(diverged === node.id ? { "data-diverged": "true" } : {})}
              aria-label={isTask ? `Task ${node.id}, ${node.handler}, ${node.state}${diverged === node.id ? ", diverged in the replay" : ""}` : `end, ${node.state}`}
              onClick={choose}
              onKeyDown={(e: KeyboardEvent) => (e.key === "Enter" || e.key === " ") && (e.preventDefault(), choose())}
            >
              <rect width={at.width} height={at.height} rx={isTask ? 8 : 15} />
              {isTask ? (
                <>
                  <text x={at.width / 2} y={19} text-anchor="middle" class="node-id">
                    {node.id}
                  </text>
                  <text x={at.width / 2} y={36} text-anchor="middle" class="node-handler">
                    {node.handler}
                  </text>
                </>
              ) : (
                <text x={at.width / 2} y={19} text-anchor="middle" class="node-id">
                  end
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
