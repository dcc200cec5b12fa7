/**
 * What the CLI writes: results on stdout (a table for people, JSON with `--json` for scripts),
 * progress and errors on stderr, each colored only when it is a terminal (and `NO_COLOR` is
 * unset).
 */
import Table from "cli-table3";
import pc from "picocolors";

export type Colors = ReturnType<typeof pc.createColors>;

export function colorsFor(stream: NodeJS.WriteStream): Colors {
  return pc.createColors(Boolean(stream.isTTY) && !process.env.NO_COLOR);
}

export const stdoutColors = colorsFor(process.stdout);
export const stderrColors = colorsFor(process.stderr);

export function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printError(text: string): void {
  process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** One `name  value` line of a record printed for people, the names dimmed and aligned. */
export function printField(name: string, value: string | number): void {
  print(`${stdoutColors.dim(name.padEnd(9))} ${value}`);
}

/** A borderless table with a bold header row; `(none)` when there are no rows. */
export function printTable(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): void {
  if (rows.length === 0) {
    print(stdoutColors.dim("(none)"));
    return;
  }
  const table = new Table({
    head: head.map((title) => stdoutColors.bold(title)),
    chars: { top: "", "top-mid": "", "top-left": "", "top-right": "", bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "", left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "", middle: "  " },
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
  });
  table.push(...rows.map((row) => row.map(String)));
  print(table.toString().split("\n").map((line) => line.trimEnd()).join("\n"));
}

/** `850ms`, `1.2s`, `3m05s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

/** Epoch milliseconds as `2026-07-03 14:05:09` (UTC). */
export function timestamp(ms: number | null | undefined): string {
  return ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 19) : "";
}

/** Where a step went: its next task, `end` when the run ended there, nothing when it failed. */
export function whereTo(goto: string | null | undefined, failed: boolean): string {
  return goto ?? (failed ? "" : "end");
}

export function truncate(text: string, width: number): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}
