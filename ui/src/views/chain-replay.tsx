/**
 * "Replay recent runs" on the chain page: the regression test for an edit. Sends the text being
 * edited to `POST /chains/:id/replay`, which replays it against the chain's newest runs (each
 * against its own recorded effects, calling nothing), and shows how many would behave the same,
 * diverge, or cannot be replayed, and each run's outcome linked to the run.
 */
import { useState } from "preact/hooks";
import { api } from "../api/client";
import type { ChainReplayReport } from "../api/types";
import { ErrorNote } from "../components/status";
import { shortId } from "../lib/format";
import { OUTCOME_LABEL, outcomeOf, reasonLabel } from "../lib/replay-outcome";
import { Link } from "../lib/router";

const DEFAULT_RUNS = 20;
const MAX_RUNS = 100;

export function ChainReplay({ chainId, draft, valid }: { chainId: string; draft: string; valid: boolean }) {
  const [limit, setLimit] = useState(DEFAULT_RUNS);
  const [report, setReport] = useState<ChainReplayReport>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const replay = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setReport(await api.post<ChainReplayReport>(`/chains/${encodeURIComponent(chainId)}/replay`, { chain: draft, limit }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel chain-replay" aria-label="Replay recent runs">
      <h2>Replay recent runs</h2>
      <p class="muted">Replays the text in the editor against this chain's newest runs and their recorded effects, calling nothing: would they behave the same?</p>
      <div class="actions">
        <label>
          runs{" "}
          <input type="number" min={1} max={MAX_RUNS} value={limit} onInput={(e) => setLimit(Math.min(MAX_RUNS, Math.max(1, Number(e.currentTarget.value) || DEFAULT_RUNS)))} />
        </label>
        <button type="button" class="primary" data-action="replay-runs" disabled={busy || !valid} onClick={replay}>
          {busy ? "Replaying…" : "Replay recent runs"}
        </button>
      </div>
      <ErrorNote error={error} />
      {report && <ChainReplayResult report={report} />}
    </section>
  );
}

function ChainReplayResult({ report }: { report: ChainReplayReport }) {
  if (report.runs === 0) return <p class="muted">The chain has no runs to replay.</p>;
  return (
    <>
      <dl class="facts replay-counts" aria-live="polite">
        {(["runs", "same", "diverged", "not_replayable"] as const).map((key) => (
          <div key={key} data-replay-count={key}>
            <dt>{key.replace("_", " ")}</dt>
            <dd>{report[key]}</dd>
          </div>
        ))}
      </dl>
      <ul class="replay-results">
        {report.results.map((result) => {
          const outcome = outcomeOf(result);
          const divergence = result.first_divergence;
          return (
            <li key={result.run_id} data-run-id={result.run_id} data-replay-outcome={outcome}>
              <Link href={`/ui/runs/${encodeURIComponent(result.run_id)}`}>
                <code>{shortId(result.run_id)}</code>
              </Link>{" "}
              <span class={`outcome outcome-${outcome}`}>{OUTCOME_LABEL[outcome]}</span>{" "}
              {divergence ? (
                <span>
                  at step {divergence.step} (<code>{divergence.task_id}</code>, {reasonLabel(divergence.reason)}): {divergence.message}
                </span>
              ) : result.reason ? (
                <span class="muted">{result.reason}</span>
              ) : (
                <span class="muted">{result.steps_replayed} steps as recorded</span>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
