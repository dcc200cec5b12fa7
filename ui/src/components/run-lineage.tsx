/**
 * Where a run stands among its forks: the run and step a fork was forked from, linked, and the
 * forks of a run (`GET /runs?forked_from=`), each linked to its inspector.
 */
import type { ForkedFrom, Page, RunView } from "../api/types";
import { shortId, time } from "../lib/format";
import { Link } from "../lib/router";
import { useApi } from "../lib/use-api";
import { StatusBadge } from "./status";

const FORKS_SHOWN = 50;

/** "forked from <run> at step N", linked to that step of the original. */
export function ForkOrigin({ from }: { from: ForkedFrom }) {
  return (
    <span class="fork-origin" data-forked-from={from.run_id} data-forked-step={from.step}>
      forked from{" "}
      <Link href={`/ui/runs/${encodeURIComponent(from.run_id)}?step=${from.step}`}>
        <code>{from.run_id}</code> at step {from.step}
      </Link>
    </span>
  );
}

export function RunForks({ runId }: { runId: string }) {
  const forks = useApi<Page<RunView>>(`/runs?forked_from=${encodeURIComponent(runId)}&limit=${FORKS_SHOWN}`);
  const rows = forks.data?.data ?? [];
  if (rows.length === 0) return null;
  return (
    <section class="panel" aria-label="Forks">
      <h2>Forks</h2>
      <ul class="forks">
        {rows.map((fork) => (
          <li key={fork.id} data-fork={fork.id}>
            <Link href={`/ui/runs/${encodeURIComponent(fork.id)}`}>
              <code>{shortId(fork.id)}</code>
            </Link>{" "}
            from step {fork.forked_from?.step ?? "?"} <StatusBadge status={fork.status} /> <span class="muted">{time(fork.created_at)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
