/**
 * Bounds on what an execution's envelope carries besides its result (which `max_result_bytes`
 * bounds): each call record's arguments, result and error, all call records together, the logs
 * and the error. The envelope becomes a step's output, the run's output and rows in two databases, so
 * whatever a program does — a hundred failing calls that each quote a 120 KB argument back —
 * its record stays small. What is cut says so; nothing is dropped silently. The isolate applies
 * the same per-entry bounds as it records, but its answer is not trusted: the host applies them
 * again here.
 */
import type { CallRecord, IsolateOutput } from "./isolate-module";
import type { SandboxLimits } from "./limits";

export const ENVELOPE_BOUNDS = {
  /** Characters of one call's arguments (and of its result) kept as JSON; longer ones become a preview string. */
  call_args_chars: 2048,
  /** Characters of one call's error. */
  call_error_chars: 1024,
  /** Bytes of all call records together; later calls are summed up in one marker record. */
  calls_bytes: 256 * 1024,
  /** Characters of the execution's error. */
  error_chars: 4096,
} as const;

export type Bounded = Pick<IsolateOutput, "logs" | "calls">;

/** The error is bounded where the envelope is made (`shortened` with `error_chars`). */
export function boundEnvelope(output: Bounded, limits: Pick<SandboxLimits, "max_log_bytes">): Bounded {
  return { logs: boundLogs(output.logs, limits.max_log_bytes), calls: boundCalls(output.calls) };
}

export function shortened(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/** One call record read from the isolate's answer, each field checked and bounded; undefined when it is not a record at all. */
export function callRecord(value: unknown): CallRecord | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  const { name, args, ok, error, duration_ms } = record;
  if (typeof name !== "string" || typeof ok !== "boolean") return undefined;
  return {
    name: shortened(name, 100),
    args: boundedJson(args),
    ok,
    ...("result" in record ? { result: boundedJson(record.result) } : {}),
    ...(typeof error === "string" ? { error: shortened(error, ENVELOPE_BOUNDS.call_error_chars) } : {}),
    duration_ms: typeof duration_ms === "number" ? duration_ms : 0,
  };
}

/** A value as is when its JSON is short, else a preview string of that JSON. */
function boundedJson(value: unknown): unknown {
  const text = JSON.stringify(value) ?? "null";
  return text.length <= ENVELOPE_BOUNDS.call_args_chars ? value : shortened(text, ENVELOPE_BOUNDS.call_args_chars);
}

function boundCalls(calls: CallRecord[]): CallRecord[] {
  const kept: CallRecord[] = [];
  let bytes = 0;
  for (const call of calls) {
    bytes += byteLength(JSON.stringify(call));
    if (bytes > ENVELOPE_BOUNDS.calls_bytes) {
      const left = calls.length - kept.length;
      kept.push({ name: `[… ${left} more call${left === 1 ? "" : "s"} not recorded: the call records exceed ${ENVELOPE_BOUNDS.calls_bytes} bytes]`, args: null, ok: false, duration_ms: 0 });
      break;
    }
    kept.push(call);
  }
  return kept;
}

function boundLogs(logs: string[], maxBytes: number): string[] {
  const kept: string[] = [];
  let bytes = 0;
  for (const line of logs) {
    bytes += byteLength(line) + 1;
    if (bytes > maxBytes + 256) {
      kept.push(`[… logs truncated: more than ${maxBytes} bytes (limits.max_log_bytes)]`);
      break;
    }
    kept.push(line);
  }
  return kept;
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}
