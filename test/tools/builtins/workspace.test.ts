import { describe, expect, it } from "vitest";
import { normalisePath, runWorkspaceOp, workspaceTools, WORKSPACE_LIMITS, type FileStore, type WorkspaceOp } from "../../../src/tools/builtins/workspace";

function memoryStore(): FileStore {
  const files = new Map<string, { content: string; updated_at: number }>();
  const under = (path: string, prefix: string) => prefix === "" || path === prefix || path.startsWith(`${prefix}/`);
  const sorted = () => [...files.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    read: (path) => files.get(path),
    write: (path, content, now) => void files.set(path, { content, updated_at: now }),
    list: (prefix) => sorted().filter(([p]) => under(p, prefix)).map(([path, f]) => ({ path, bytes: new TextEncoder().encode(f.content).length, updated_at: f.updated_at })),
    contents: (prefix) => sorted().filter(([p]) => under(p, prefix)).map(([path, f]) => ({ path, content: f.content })),
  };
}

describe("the workspace", () => {
  it("writes, appends, reads and lists files", () => {
    const store = memoryStore();
    expect(runWorkspaceOp(store, { op: "write", path: "/notes/a.md", content: "one\n" }, 1)).toEqual({ path: "notes/a.md", bytes: 4 });
    runWorkspaceOp(store, { op: "write", path: "notes/a.md", content: "two", append: true }, 2);
    runWorkspaceOp(store, { op: "write", path: "b.txt", content: "héllo" }, 3);
    expect(runWorkspaceOp(store, { op: "read", path: "./notes//a.md" }, 4)).toEqual({ path: "notes/a.md", content: "one\ntwo", bytes: 7, updated_at: 2 });
    expect(runWorkspaceOp(store, { op: "list" }, 4)).toEqual({ files: [{ path: "b.txt", bytes: 6, updated_at: 3 }, { path: "notes/a.md", bytes: 7, updated_at: 2 }] });
    expect(runWorkspaceOp(store, { op: "list", prefix: "notes" }, 4)).toEqual({ files: [{ path: "notes/a.md", bytes: 7, updated_at: 2 }] });
    expect(runWorkspaceOp(store, { op: "read", path: "missing" }, 4)).toMatchObject({ error: expect.stringContaining('No file "missing"') });
  });

  it("greps lines by text or regular expression", () => {
    const store = memoryStore();
    runWorkspaceOp(store, { op: "write", path: "log.txt", content: "alpha\nBeta\ngamma beta" }, 1);
    expect(runWorkspaceOp(store, { op: "grep", pattern: "beta" }, 1)).toEqual({ matches: [{ path: "log.txt", line: 3, text: "gamma beta" }] });
    expect(runWorkspaceOp(store, { op: "grep", pattern: "beta", ignore_case: true }, 1)).toMatchObject({ matches: [{ line: 2 }, { line: 3 }] });
    expect(runWorkspaceOp(store, { op: "grep", pattern: "^a.*a$", regex: true }, 1)).toEqual({ matches: [{ path: "log.txt", line: 1, text: "alpha" }] });
    expect(runWorkspaceOp(store, { op: "grep", pattern: "(", regex: true }, 1)).toMatchObject({ error: expect.stringContaining("not a valid regular expression") });
  });

  it("matches a model's catastrophic pattern in time linear in the text", () => {
    const store = memoryStore();
    const line = "a".repeat(100) + "!";
    runWorkspaceOp(store, { op: "write", path: "big.txt", content: Array.from({ length: 2000 }, () => line).join("\n") }, 1);
    // A backtracking engine needs about 2^100 steps for each line: this test would not end.
    expect(runWorkspaceOp(store, { op: "grep", pattern: "(a+)+$", regex: true }, 1)).toEqual({ matches: [] });
    expect(runWorkspaceOp(store, { op: "grep", pattern: "(a|aa)+!$", regex: true, ignore_case: true }, 1)).toMatchObject({ matches: { length: 200 }, truncated: true });
    expect(runWorkspaceOp(store, { op: "grep", pattern: "(a)\\1", regex: true }, 1)).toMatchObject({ error: expect.stringContaining("without lookahead or backreferences") });
  });

  it("keeps paths inside the workspace and files within their limits", () => {
    const store = memoryStore();
    expect(normalisePath("../etc/passwd")).toMatchObject({ error: expect.stringContaining('".." segment') });
    expect(runWorkspaceOp(store, { op: "write", path: "a/../../b", content: "x" }, 1)).toMatchObject({ error: expect.any(String) });
    expect(runWorkspaceOp(store, { op: "write", path: "big", content: "x".repeat(WORKSPACE_LIMITS.file_bytes + 1) }, 1)).toMatchObject({ error: expect.stringContaining("at most") });
    expect(store.list("")).toEqual([]);
  });

  it("is offered as four tools that hand their operation to the run", async () => {
    const ops: WorkspaceOp[] = [];
    const tools = workspaceTools(async (op) => (ops.push(op), "done"));
    expect(tools.map((t) => [t.spec.name, t.service])).toEqual([
      ["workspace__read", "workspace"],
      ["workspace__write", "workspace"],
      ["workspace__list", "workspace"],
      ["workspace__grep", "workspace"],
    ]);
    await tools[1]!.call({ path: "p", content: "c" }, { runId: "r", taskId: "t", idempotencyKey: "k" });
    expect(ops).toEqual([{ op: "write", path: "p", content: "c" }]);
  });
});
