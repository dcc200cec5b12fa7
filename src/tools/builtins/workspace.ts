/**
 * `workspace`: a per-run folder of text files for scratch state, offered as four tools,
 * `workspace__read`, `workspace__write`, `workspace__list` and `workspace__grep` (in sandboxed
 * code: `tools.workspace.read({ path })` and so on). The files live in the run's Durable
 * Object, so they last as long as the run and no other run sees them. The operations here
 * are pure over a `FileStore`; where they execute (in the run's object) is the caller's choice.
 */
import { RE2JS } from "re2js";
import type { ToolEntry } from "../types";

export type WorkspaceOp =
  | { op: "read"; path: string }
  | { op: "write"; path: string; content: string; append?: boolean }
  | { op: "list"; prefix?: string }
  | { op: "grep"; pattern: string; prefix?: string; regex?: boolean; ignore_case?: boolean };

export interface FileInfo {
  path: string;
  bytes: number;
  updated_at: number;
}

export interface FileStore {
  read(path: string): { content: string; updated_at: number } | undefined;
  write(path: string, content: string, now: number): void;
  list(prefix: string): FileInfo[];
  /** Every file under `prefix` with its content, for grep. */
  contents(prefix: string): Array<{ path: string; content: string }>;
}

export const WORKSPACE_LIMITS = { file_bytes: 1024 * 1024, files: 1000, total_bytes: 32 * 1024 * 1024, matches: 200, line_chars: 300 } as const;

const encoder = new TextEncoder();

export function runWorkspaceOp(store: FileStore, op: WorkspaceOp, now: number): unknown {
  if (op.op === "list") return { files: store.list(normalisePrefix(op.prefix)) };
  if (op.op === "grep") return grep(store, op);
  const path = normalisePath(op.path);
  if (typeof path !== "string") return path;
  if (op.op === "read") {
    const file = store.read(path);
    return file ? { path, content: file.content, bytes: encoder.encode(file.content).length, updated_at: file.updated_at } : { error: `No file "${path}" in the workspace; workspace__list shows what there is.` };
  }
  const content = op.append ? `${store.read(path)?.content ?? ""}${op.content}` : op.content;
  const bytes = encoder.encode(content).length;
  if (bytes > WORKSPACE_LIMITS.file_bytes) return { error: `"${path}" would be ${bytes} bytes; a workspace file holds at most ${WORKSPACE_LIMITS.file_bytes}.` };
  const files = store.list("");
  const existing = files.find((f) => f.path === path);
  if (!existing && files.length >= WORKSPACE_LIMITS.files) return { error: `The workspace already holds ${files.length} files, its limit.` };
  const total = files.reduce((sum, f) => sum + f.bytes, 0) - (existing?.bytes ?? 0) + bytes;
  if (total > WORKSPACE_LIMITS.total_bytes) return { error: `The workspace would hold ${total} bytes; its limit is ${WORKSPACE_LIMITS.total_bytes}.` };
  store.write(path, content, now);
  return { path, bytes };
}

function grep(store: FileStore, op: Extract<WorkspaceOp, { op: "grep" }>): unknown {
  let matcher: (line: string) => boolean;
  if (op.regex) {
    // The pattern comes from a model or a program: matched by RE2, in time linear in the text, since
    // a backtracking pattern like (a+)+$ would hold the run's object, and everything queued on it, for minutes.
    let pattern: RE2JS;
    try {
      pattern = RE2JS.compile(RE2JS.translateRegExp(op.pattern), op.ignore_case ? RE2JS.CASE_INSENSITIVE : 0);
    } catch (err) {
      return { error: `The pattern is not a valid regular expression for RE2 (JavaScript syntax without lookahead or backreferences): ${err instanceof Error ? err.message : String(err)}` };
    }
    matcher = (line) => pattern.test(line);
  } else {
    const needle = op.ignore_case ? op.pattern.toLowerCase() : op.pattern;
    matcher = (line) => (op.ignore_case ? line.toLowerCase() : line).includes(needle);
  }
  const matches: Array<{ path: string; line: number; text: string }> = [];
  for (const file of store.contents(normalisePrefix(op.prefix))) {
    const lines = file.content.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i]!;
      if (!matcher(text)) continue;
      if (matches.length === WORKSPACE_LIMITS.matches) return { matches, truncated: true };
      matches.push({ path: file.path, line: i + 1, text: text.slice(0, WORKSPACE_LIMITS.line_chars) });
    }
  }
  return { matches };
}

/** `a/b.txt` form: no leading slash, no `.` or `..` segments, no empty segments. */
export function normalisePath(raw: string): string | { error: string } {
  const segments = raw.trim().split("/").filter((s) => s !== "" && s !== ".");
  const path = segments.join("/");
  if (segments.includes("..")) return { error: `The path "${raw}" has a ".." segment; workspace paths are relative to the workspace and stay in it.` };
  if (path === "") return { error: "The path is empty." };
  if (path.length > 256 || /[\u0000-\u001f]/.test(path)) return { error: `The path "${raw}" is too long or has control characters.` };
  return path;
}

function normalisePrefix(prefix: string | undefined): string {
  return (prefix ?? "").trim().split("/").filter((s) => s !== "" && s !== "." && s !== "..").join("/");
}

const PATH_ARG = { type: "string", description: "File path inside the workspace, e.g. notes/summary.md." };

const SPECS: Array<{ op: WorkspaceOp["op"]; description: string; parameters: { [k: string]: unknown } }> = [
  {
    op: "read",
    description: "Read a text file from this run's workspace.",
    parameters: { type: "object", properties: { path: PATH_ARG }, required: ["path"], additionalProperties: false },
  },
  {
    op: "write",
    description: "Write (or, with append, add to) a text file in this run's workspace. The workspace lasts as long as the run.",
    parameters: {
      type: "object",
      properties: { path: PATH_ARG, content: { type: "string" }, append: { type: "boolean", description: "Add to the end instead of replacing." } },
      required: ["path", "content"],
      additionalProperties: false,
    },
  },
  {
    op: "list",
    description: "List the files in this run's workspace (path, bytes, updated_at).",
    parameters: { type: "object", properties: { prefix: { type: "string", description: "Only paths under this folder." } }, additionalProperties: false },
  },
  {
    op: "grep",
    description: "Find the lines that contain a text (or match a regular expression) in this run's workspace files.",
    parameters: {
      type: "object",
      properties: {
        pattern: { type: "string" },
        prefix: { type: "string", description: "Only files under this folder." },
        regex: { type: "boolean", description: "Treat pattern as a regular expression (JavaScript syntax, matched by RE2: no lookahead or backreferences)." },
        ignore_case: { type: "boolean" },
      },
      required: ["pattern"],
      additionalProperties: false,
    },
  },
];

/** The four tools, each handing its operation to `run` (the run's object executes it). */
export function workspaceTools(run: (op: WorkspaceOp) => Promise<unknown>): ToolEntry[] {
  return SPECS.map(({ op, description, parameters }) => ({
    service: "workspace",
    spec: { name: `workspace__${op}`, description, parameters },
    call: (args) => run({ ...(args as object), op } as WorkspaceOp),
  }));
}
