/**
 * Code mode seen whole: the program as it ran (normalised, highlighted), each capability call
 * beside the line that made it — what it called, its arguments (the host redacts secrets), its
 * outcome and time — then the logs and the result, or the error at its line.
 */
import type { SandboxEnvelope } from "../api/types";
import { duration } from "../lib/format";
import { errorLine, placeCalls, type PlacedCall } from "../lib/program-calls";
import { highlightLines } from "./code-view";
import { JsonView } from "./json-view";

export function ProgramView({ envelope }: { envelope: SandboxEnvelope }) {
  const lines = highlightLines(envelope.code, "javascript");
  const placed = placeCalls(envelope.code, envelope.calls);
  const failedAt = envelope.ok ? undefined : errorLine(envelope.error);
  const unplaced = placed.filter((p) => p.line === undefined);
  return (
    <section class={`program ${envelope.ok ? "program-ok" : "program-failed"}`} data-program>
      <header class="program-head">
        <strong>{envelope.ok ? "✓ ran" : "✗ failed"}</strong> in {duration(envelope.duration_ms)} · {envelope.calls.length} capability call{envelope.calls.length === 1 ? "" : "s"}
      </header>
      <div class="program-lines" role="table" aria-label="Program with its capability calls">
        {lines.map((html, i) => {
          const line = i + 1;
          const calls = placed.filter((p) => p.line === line);
          return (
            <div class={`program-line${calls.length ? " has-calls" : ""}${failedAt === line ? " failed-line" : ""}`} role="row" data-line={line} key={line}>
              <span class="line-no" role="cell">
                {line}
              </span>
              <code role="cell" dangerouslySetInnerHTML={{ __html: html || " " }} />
              <span class="line-calls" role="cell">
                {calls.map((p) => (
                  <CallChip key={p.order} placed={p} />
                ))}
              </span>
              {failedAt === line && <div class="line-error" role="alert">{envelope.error}</div>}
            </div>
          );
        })}
      </div>
      {unplaced.length > 0 && (
        <div class="program-unplaced">
          <h4>Calls made elsewhere</h4>
          {unplaced.map((p) => (
            <CallChip key={p.order} placed={p} />
          ))}
        </div>
      )}
      {!envelope.ok && failedAt === undefined && (
        <div class="program-error" role="alert">
          <strong>Error:</strong> {envelope.error}
        </div>
      )}
      <h4>Logs</h4>
      {envelope.logs.length ? (
        <pre class="logs">{envelope.logs.join("\n")}</pre>
      ) : (
        <p class="muted">No logs.</p>
      )}
      {envelope.ok && (
        <>
          <h4>Result</h4>
          <JsonView value={envelope.result} />
        </>
      )}
    </section>
  );
}

function CallChip({ placed: { call, order } }: { placed: PlacedCall }) {
  const [target, ...rest] = Array.isArray(call.args) ? call.args : [call.args];
  const named = call.name === "callTool" && typeof target === "string";
  return (
    <details class={`call ${call.ok ? "call-ok" : "call-failed"}`} data-call-order={order}>
      <summary>
        <span class="call-order">#{order}</span> {named ? target : call.name} <span class="call-outcome">{call.ok ? "✓" : "✗"}</span> <span class="muted">{duration(call.duration_ms)}</span>
      </summary>
      <JsonView value={named ? (rest.length === 1 ? rest[0] : rest) : call.args} />
      {call.error && <p class="error-note">{call.error}</p>}
    </details>
  );
}
