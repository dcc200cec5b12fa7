/**
 * Least privilege: which tools a task's `execute_config.tools` grants. `["*"]` is all, names
 * pick tools or whole services, `"!name"` excludes, `[]` or no list means none.
 */
import type { ToolEntry } from "./types";

export function resolveGrant(entries: ToolEntry[], grant: string[] | undefined): ToolEntry[] {
  if (!grant || grant.length === 0) return [];
  const include = grant.filter((g) => !g.startsWith("!"));
  const exclude = new Set(grant.filter((g) => g.startsWith("!")).map((g) => g.slice(1)));
  const all = include.includes("*");
  return entries.filter((e) => {
    if (exclude.has(e.spec.name) || exclude.has(e.service)) return false;
    return all || include.includes(e.spec.name) || include.includes(e.service);
  });
}
