/**
 * `/ui/runs`: runs newest first, filtered by status, chain and time (the filters are the URL's
 * query, so a filtered list can be shared), paged with the API's cursor. The first page is read
 * again every few seconds while the tab is visible: the API has no stream of the run list.
 */
import { useEffect, useState } from "preact/hooks";
import { RUN_STATUSES } from "../../../src/engine/run-state";
import { api } from "../api/client";
import type { Page, RunView } from "../api/types";
import { ChainSelect } from "../components/chain-select";
import { ErrorNote, StatusBadge } from "../components/status";
import { duration, shortId, time, tokens } from "../lib/format";
import { Link, navigate, withQuery, type Location } from "../lib/router";
import { Table } from "../components/table";

const REFRESH_MS = 3000;

type RunRow = Omit<RunView, "current_task">;

function listPath(query: URLSearchParams, cursor?: string): string {
  const params = new URLSearchParams({ limit: "25" });
  for (const key of ["status", "chain_id"]) {
    const value = query.get(key);
    if (value) params.set(key, value);
  }
  for (const key of ["since", "until"]) {
    const value = query.get(key);
    if (value) params.set(key, new Date(value).toISOString());
  }
  if (cursor) params.set("cursor", cursor);
  return `/runs?${params}`;
}

export function Runs({ location }: { location: Location }) {
  const { query } = location;
  const first = listPath(query);
  const [pages, setPages] = useState<{ first: string; rows: RunRow[]; older: RunRow[]; next: string | null }>({ first, rows: [], older: [], next: null });
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    let stopped = false;
    const read = async () => {
      if (document.visibilityState !== "visible") return;
      try {
        const page = await api.get<Page<RunRow>>(first);
        if (stopped) return;
        setError(undefined);
        setPages((p) => (p.first === first ? { ...p, rows: page.data, next: p.older.length ? p.next : (page.next_cursor ?? null) } : { first, rows: page.data, older: [], next: page.next_cursor ?? null }));
      } catch (e) {
        if (!stopped) setError(e);
      }
    };
    void read();
    const timer = setInterval(read, REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [first]);

  const loadOlder = async () => {
    if (!pages.next) return;
    try {
      const page = await api.get<Page<RunRow>>(listPath(query, pages.next));
      setPages((p) => ({ ...p, older: [...p.older, ...page.data], next: page.next_cursor ?? null }));
    } catch (e) {
      setError(e);
    }
  };

  const seen = new Set(pages.rows.map((r) => r.id));
  const rows = pages.first === first ? [...pages.rows, ...pages.older.filter((r) => !seen.has(r.id))] : [];
  const setFilter = (key: string, value: string) => navigate(withQuery({ [key]: value || undefined }), { replace: true });
  const filter = (key: string) => (event: Event) => setFilter(key, (event.currentTarget as HTMLInputElement).value);

  return (
    <div>
      <header class="page-head">
        <h1>Runs</h1>
      </header>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter runs">
        <label>
          Status
          <select value={query.get("status") ?? ""} onChange={filter("status")}>
            <option value="">any</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <ChainSelect value={query.get("chain_id") ?? ""} onChange={(id) => setFilter("chain_id", id)} anyLabel="any" />
        <label>
          From
          <input type="datetime-local" value={query.get("since") ?? ""} onChange={filter("since")} />
        </label>
        <label>
          To
          <input type="datetime-local" value={query.get("until") ?? ""} onChange={filter("until")} />
        </label>
      </form>
      <ErrorNote error={error} />
      <Table class="runs" heads={["run", "chain", "status", "steps", "tokens", "created", "took"]}>
        {rows.map((run) => (
          <tr key={run.id} data-run-id={run.id}>
            <td>
              <Link href={`/ui/runs/${run.id}`}>
                <code>{shortId(run.id)}</code>
              </Link>
            </td>
            <td>{run.chain_id}</td>
            <td>
              <StatusBadge status={run.status} />
            </td>
            <td>{run.step_count}</td>
            <td>{tokens(run.usage)}</td>
            <td>{time(run.created_at)}</td>
            <td>{run.finished_at && run.started_at ? duration(run.finished_at - run.started_at) : "–"}</td>
          </tr>
        ))}
      </Table>
      {rows.length === 0 && !error && <p class="muted">No runs match.</p>}
      {pages.next && (
        <button type="button" onClick={loadOlder}>
          Older runs
        </button>
      )}
    </div>
  );
}
