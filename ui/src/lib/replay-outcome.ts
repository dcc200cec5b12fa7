/**
 * How a replay reads: its outcome in one word, the divergence's reason in words, and each side
 * of a divergence as what it is — a prompt (an LLM request, drawn as chat bubbles), another
 * effect asked for (a tool call, a program), a plain value (a task, an eval, a transition), or
 * nothing (a side that asked for no effect). Pure, so the views and tests agree.
 */
import type { Divergence, EffectRequest, LlmCall, RecordedMessage, ReplayReport } from "../api/types";

export type Outcome = "same" | "diverged" | "not-replayable";

export function outcomeOf(report: Pick<ReplayReport, "replayable" | "diverged">): Outcome {
  if (report.diverged) return "diverged";
  return report.replayable ? "same" : "not-replayable";
}

export const OUTCOME_LABEL: Record<Outcome, string> = { same: "same", diverged: "diverged", "not-replayable": "not replayable" };

const REASON_LABEL: Record<Divergence["reason"], string> = {
  task: "another task runs",
  handler: "another handler",
  effect: "another effect asked for",
  eval: "another eval",
  error: "another error",
  output: "another output",
  transition: "another transition",
};

export function reasonLabel(reason: Divergence["reason"]): string {
  return REASON_LABEL[reason] ?? reason;
}

export type Side =
  | { kind: "none" }
  | { kind: "prompt"; request: LlmCall["request"]; messages: RecordedMessage[] }
  | { kind: "effect"; effect: EffectRequest["kind"]; request: unknown }
  | { kind: "value"; value: unknown };

export function sideOf(value: unknown): Side {
  if (value === null || value === undefined) return { kind: "none" };
  if (isEffectRequest(value)) {
    const request = value.request as Partial<LlmCall["request"]> | null;
    if (value.kind === "llm" && request && Array.isArray(request.messages)) return { kind: "prompt", request: request as LlmCall["request"], messages: request.messages };
    return { kind: "effect", effect: value.kind, request: value.request };
  }
  return { kind: "value", value };
}

function isEffectRequest(value: unknown): value is EffectRequest {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 2 && typeof (value as { kind?: unknown }).kind === "string" && keys.includes("request");
}

/**
 * The two sides as text for a line diff, without what they share at the top level: two LLM
 * requests that differ only in their messages compare only their messages, not the tools
 * offered to both.
 */
export function comparable(recorded: Side, replayed: Side): [string, string] {
  const [a, b] = [valueOf(recorded), valueOf(replayed)];
  if (!isRecord(a) || !isRecord(b)) return [pretty(a), pretty(b)];
  const shared = Object.keys(a).filter((key) => key in b && JSON.stringify(a[key]) === JSON.stringify(b[key]));
  const without = (value: Record<string, unknown>) => Object.fromEntries(Object.entries(value).filter(([key]) => !shared.includes(key)));
  return [pretty(without(a)), pretty(without(b))];
}

function valueOf(side: Side): unknown {
  switch (side.kind) {
    case "none":
      return undefined;
    case "prompt":
      return side.request;
    case "effect":
      return { [side.effect]: side.request };
    case "value":
      return side.value;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const pretty = (value: unknown) => (value === undefined ? "" : `${JSON.stringify(value, null, 2)}\n`);
