/**
 * The layering of src/ (docs/architecture.md), checked on the import graph: every `import` and
 * `export … from` of our own modules, type-only ones included (a type import ties two modules
 * as much as a value import does when you read or change them).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "src");

/** Lower layers never import higher ones; modules of one layer may import each other (without cycles). */
const LAYERS: Record<string, number> = {
  engine: 0,
  "env.ts": 1,
  "config.ts": 1,
  chains: 1,
  contract: 1,
  db: 1,
  egress: 1,
  events: 1,
  llm: 1,
  sandbox: 1,
  tools: 1,
  run: 2,
  wiring: 3,
  api: 4,
  "index.ts": 5,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = normalize(join(dirname(from), specifier));
  return [base, `${base}.ts`, `${base}.js`, join(base, "index.ts")].find((candidate) => {
    try {
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, "utf8");
    const targets = [...text.matchAll(IMPORT)].flatMap((m) => resolveImport(file, (m[1] ?? m[2])!) ?? []);
    graph.set(relative(SRC, file), [...new Set(targets.map((t) => relative(SRC, t)))]);
  }
  return graph;
}

/** The top-level folder (or root file) a module belongs to. */
function folderOf(file: string): string {
  return file.split("/")[0]!;
}

/** Strongly connected components with more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const graph = importGraph();
const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));

describe("the layering of src/", () => {
  it("places every top-level folder and root module in a layer", () => {
    const unplaced = [...new Set([...graph.keys()].map(folderOf))].filter((folder) => !(folder in LAYERS));
    expect(unplaced).toEqual([]);
  });

  it("keeps the engine pure: it imports nothing outside src/engine", () => {
    expect(edges.filter((e) => folderOf(e.from) === "engine" && folderOf(e.to) !== "engine")).toEqual([]);
  });

  it("lets only the Worker entry and the wiring layer import the API", () => {
    const importers = edges.filter((e) => folderOf(e.to) === "api" && !["api", "wiring", "index.ts"].includes(folderOf(e.from)));
    expect(importers).toEqual([]);
  });

  it("never imports upward", () => {
    const upward = edges.filter((e) => (LAYERS[folderOf(e.to)] ?? 0) > (LAYERS[folderOf(e.from)] ?? 0));
    expect(upward).toEqual([]);
  });

  it("has no import cycle that spans two folders", () => {
    expect(cycles(graph).filter((component) => new Set(component.map(folderOf)).size > 1)).toEqual([]);
  });

  it("sees the imports it checks (the scanner is not blind)", () => {
    expect(graph.get("index.ts")).toEqual(expect.arrayContaining(["api/app.ts", "wiring/chain-run.ts"]));
    expect(edges.length).toBeGreaterThan(300);
  });
});
