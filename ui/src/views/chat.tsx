/**
 * `/ui/chat`: a conversation with a chain through the OpenAI-compatible endpoint, streamed token
 * by token. The conversation lives in the session (sessionStorage), one per chain; each answer
 * links to its run. Calls the run waits to have approved show inline, from the run's events.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api, messageOf, send } from "../api/client";
import { followRun } from "../api/run-events";
import { readSse } from "../api/sse";
import type { Approval } from "../api/types";
import { PendingApprovals } from "../components/approvals";
import { ErrorNote } from "../components/status";
import { Link, navigate, withQuery, type Location } from "../lib/router";
import { useApi } from "../lib/use-api";

interface Turn {
  role: "user" | "assistant";
  content: string;
  run_id?: string;
  error?: string;
  streaming?: boolean;
}

const storageKey = (chain: string) => `switchyard.chat.${chain}`;

function saved(chain: string): Turn[] {
  try {
    return (JSON.parse(sessionStorage.getItem(storageKey(chain)) ?? "[]") as Turn[]).map((t) => ({ ...t, streaming: false }));
  } catch {
    return [];
  }
}

export function Chat({ location }: { location: Location }) {
  const models = useApi<{ data: Array<{ id: string }> }>("/v1/models");
  const chain = location.query.get("chain") ?? models.data?.data[0]?.id ?? "";
  const [turns, setTurns] = useState<Turn[]>([]);
  const [draft, setDraft] = useState("");
  const [approvals, setApprovals] = useState<{ runId: string; list: Approval[] }>();
  const busy = turns.some((t) => t.streaming);
  const abort = useRef<AbortController>(undefined);
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (chain) setTurns(saved(chain));
    return () => abort.current?.abort();
  }, [chain]);
  useEffect(() => {
    if (chain) sessionStorage.setItem(storageKey(chain), JSON.stringify(turns));
    end.current?.scrollIntoView({ block: "end" });
  }, [turns]);

  const updateLast = (change: Partial<Turn>) => setTurns((all) => [...all.slice(0, -1), { ...all.at(-1)!, ...change }]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || busy || !chain) return;
    const history = [...turns.filter((t) => !t.error), { role: "user" as const, content: text }];
    setDraft("");
    setTurns([...history, { role: "assistant", content: "", streaming: true }]);
    abort.current = new AbortController();
    const { signal } = abort.current;
    try {
      const response = await send("POST", "/v1/chat/completions", {
        signal,
        body: { model: chain, stream: true, messages: history.map(({ role, content }) => ({ role, content })) },
      });
      const runId = response.headers.get("x-switchyard-run-id") ?? undefined;
      updateLast({ run_id: runId });
      if (runId) watchApprovals(runId, signal, setApprovals);
      let answer = "";
      for await (const frame of readSse(response.body!)) {
        if (frame.data === "[DONE]") break;
        const chunk = JSON.parse(frame.data) as { choices?: Array<{ delta?: { content?: string } }>; error?: { message: string } };
        if (chunk.error) throw new Error(chunk.error.message);
        const delta = chunk.choices?.[0]?.delta?.content;
        if (delta) {
          answer += delta;
          updateLast({ content: answer });
        }
      }
      updateLast({ streaming: false });
    } catch (e) {
      updateLast({ streaming: false, error: signal.aborted ? "Stopped." : messageOf(e) });
    } finally {
      // Also stops following the run's events for approvals.
      abort.current.abort();
      setApprovals(undefined);
    }
  };

  return (
    <div class="chat">
      <header class="page-head">
        <h1>Chat</h1>
        <label>
          Chain
          <select value={chain} onChange={(e) => navigate(withQuery({ chain: e.currentTarget.value }), { replace: true })} disabled={busy}>
            {models.data?.data.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setTurns([])} disabled={busy || turns.length === 0}>
          New conversation
        </button>
      </header>
      <ErrorNote error={models.error} />
      <ol class="bubbles chat-log" aria-live="polite">
        {turns.map((turn, i) => (
          <li key={i} class={`bubble bubble-${turn.role}${turn.streaming ? " streaming" : ""}`} data-role={turn.role}>
            <div class="bubble-text">{turn.content || (turn.streaming ? "…" : "")}</div>
            {turn.error && <p class="error-note">{turn.error}</p>}
            {turn.run_id && (
              <Link class="run-link" href={`/ui/runs/${turn.run_id}`}>
                run {turn.run_id.slice(0, 8)} ›
              </Link>
            )}
          </li>
        ))}
      </ol>
      {approvals && <PendingApprovals runId={approvals.runId} approvals={approvals.list} onDecided={() => undefined} />}
      <div ref={end} />
      <form class="chat-form" onSubmit={submit}>
        <label class="visually-hidden" for="chat-message">
          Message
        </label>
        <textarea
          id="chat-message"
          value={draft}
          rows={2}
          placeholder={chain ? `Message ${chain}` : "Loading chains…"}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => e.key === "Enter" && !e.shiftKey && submit(e)}
        />
        {busy ? (
          <button type="button" onClick={() => abort.current?.abort()}>
            Stop
          </button>
        ) : (
          <button type="submit" class="primary" disabled={!draft.trim() || !chain}>
            Send
          </button>
        )}
      </form>
    </div>
  );
}

/** Shows the calls the run waits on, as its events announce and settle them. */
function watchApprovals(runId: string, signal: AbortSignal, set: (value: { runId: string; list: Approval[] } | undefined) => void): void {
  const reread = () => api.get<{ data: Approval[] }>(`/runs/${runId}/approvals`).then((r) => !signal.aborted && set({ runId, list: r.data.filter((a) => a.status === "pending") }));
  followRun(runId, signal, (event) => {
    if (event.type === "approval.requested" || event.type === "approval.decided") void reread();
  }).catch(() => undefined);
}
