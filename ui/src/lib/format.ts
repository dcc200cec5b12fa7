/** How times, durations and token counts read in the console. */
import type { Usage } from "../api/types";

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function time(epochMs: number | null | undefined): string {
  if (!epochMs) return "–";
  return new Date(epochMs).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
}

export function tokens(usage: Usage | null | undefined): string {
  if (!usage || usage.total_tokens === 0) return "–";
  return `${usage.prompt_tokens} → ${usage.completion_tokens}`;
}

export function shortId(id: string): string {
  return id.length > 12 ? id.slice(0, 8) : id;
}
