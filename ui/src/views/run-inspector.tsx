/**
 * `/ui/runs/<id>`: one run. The chain's graph with the path the run took lit and the task running
 * now marked, driven by the run's event stream (no polling); the step timeline beside it; the
 * chosen step (`?step=N`) in full below, with "Fork from here" (`&fork=1` opens its form); the
 * programs of a repaired code-mode run side by side; Cancel while the run is live and Approve /
 * Deny for calls that wait for a human. A fork shows where it came from, a run its forks, and
 * Replay leads to the replay view.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { isTerminal } from "../../../src/engine/records";
import { api, messageOf } from "../api/client";
import { followRun, type RunEvent } from "../api/run-events";
import type { Chain, RunView, Step } from "../api/types";
import { PendingApprovals } from "../components/approvals";
import { ChainGraph } from "../components/chain-graph";
import { SideBySideDiff } from "../components/program-diff";
import { ForkOrigin, RunForks } from "../components/run-lineage";
import { ErrorNote, StatusBadge } from "../components/status";
import { StepTimeline } from "../components/step-timeline";
import { duration, time, tokens } from "../lib/format";
import { chainGraph } from "../lib/graph-model";
import { runPrograms } from "../lib/programs";
import { Link, navigate, withQuery, type Location } from "../lib/router";
import { ForkForm } from "./fork-form";
import { StepDetail } from "./step-detail";

interface Live {
  /** The task running now, as the event stream tells. */
  current: string | null;
  /** Tokens of the step in flight, as they arrive. */
  tokens: string;
}

export function RunInspector({ id, location }: { id: string; location: Location }) {
  const [run, setRun] = useState<RunView>();
  const [steps, setSteps] = useState<Step[]>([]);
  const [chain, setChain] = useState<Chain>();
  const [error, setError] = useState<unknown>();
  const [live, setLive] = useState<Live>({ current: null, tokens: "" });

  const refresh = useCallback(async () => {
    try {
      const [view, log] = await Promise.all([api.get<RunView>(`/runs/${id}`), api.get<{ data: Step[] }>(`/runs/${id}/steps`)]);
      setRun(view);
      setSteps(log.data);
    } catch (e) {
      setError(e);
    }
  }, [id]);

  useEffect(() => {
    setRun(undefined);
    setSteps([]);
    setError(undefined);
    void refresh();
    api.get<{ definition: Chain }>(`/runs/${id}/chain`).then((r) => setChain(r.definition), setError);
  }, [id]);

  const isLive = run !== undefined && !isTerminal(run.status);
  useLiveEvents(id, isLive, setLive, refresh);

  const selected = location.query.get("step");
  const selectedStep = steps.find((s) => String(s.index) === selected) ?? (selected === null ? steps.at(-1) : undefined);
  const current = isLive ? (live.current ?? run?.current_task ?? null) : null;
  const graph = useMemo(() => (chain && run ? chainGraph(chain, { run, steps, current }) : undefined), [chain, run, steps, current]);
  const forking = location.query.get("fork") !== null && selectedStep !== undefined;
  const select = (index: number) => navigate(withQuery({ step: String(index), fork: undefined }), { replace: true });
  const fork = (open: boolean) => navigate(withQuery({ step: selectedStep && String(selectedStep.index), fork: open ? "1" : undefined }), { replace: true });
  const selectTask = (taskId: string) => {
    const last = steps.filter((s) => s.task_id === taskId).at(-1);
    if (last) select(last.index);
  };

  if (error && !run) return <ErrorNote error={error} />;
  if (!run) return <p class="muted">Loading run…</p>;
  return (
    <div class="inspector">
      <header class="page-head">
        <h1>
          Run <code>{run.id}</code>
        </h1>
        <RunFacts run={run} />
        <Link href={`/ui/runs/${encodeURIComponent(run.id)}/replay`} class="button" data-action="replay">
          Replay
        </Link>
        {isLive && <CancelButton runId={run.id} onCancelled={refresh} />}
      </header>
      {run.error && (
        <p class="error-note" role="alert">
          {run.error.type}: {run.error.message}
        </p>
      )}
      <PendingApprovals runId={run.id} approvals={run.pending_approvals ?? []} onDecided={refresh} />
      <div class="inspector-main">
        <section class="panel graph-panel" aria-label="Graph">
          <h2>Graph</h2>
          {graph ? <ChainGraph graph={graph} onSelect={selectTask} selected={selectedStep?.task_id ?? null} /> : <p class="muted">Loading the chain…</p>}
        </section>
        <section class="panel" aria-label="Steps">
          <h2>Steps</h2>
          <StepTimeline steps={steps} selected={selectedStep?.index} onSelect={select} />
          {isLive && current && (
            <p class="live-step" aria-live="polite">
              <span class="live-dot" /> running <strong>{current}</strong>
              {live.tokens && <span class="live-tokens">{live.tokens}</span>}
            </p>
          )}
        </section>
      </div>
      {selectedStep && (
        <StepDetail
          step={selectedStep}
          actions={
            <button type="button" data-action="fork" aria-expanded={forking} onClick={() => fork(!forking)}>
              Fork from here
            </button>
          }
        />
      )}
      {forking && selectedStep && chain && (
        <ForkForm key={selectedStep.index} run={run} step={selectedStep} previous={steps.find((s) => s.index === selectedStep.index - 1)} chain={chain} onClose={() => fork(false)} />
      )}
      <ProgramVersions steps={steps} />
      <RunForks runId={run.id} />
    </div>
  );
}

/** Follows the run's events while it is live: the current task, its tokens, and a re-read of the run and its steps when they change. */
function useLiveEvents(id: string, isLive: boolean, setLive: (update: (live: Live) => Live) => void, refresh: () => Promise<void>) {
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    if (!isLive) return;
    const controller = new AbortController();
    const reread = () => {
      clearTimeout(pending.current);
      pending.current = setTimeout(() => void refresh(), 80);
    };
    const onEvent = ({ type, data }: RunEvent) => {
      if (type === "step.started") setLive(() => ({ current: String(data.task_id), tokens: "" }));
      else if (type === "token") setLive((live) => ({ ...live, tokens: live.tokens + String(data.delta ?? "") }));
      else if (type === "step.completed") {
        const next = typeof data.goto === "string" && data.goto !== "end" ? data.goto : null;
        setLive(() => ({ current: next, tokens: "" }));
        reread();
      } else if (type === "run.finished") {
        setLive(() => ({ current: null, tokens: "" }));
        reread();
      } else if (type.startsWith("run.") || type.startsWith("approval.")) reread();
    };
    followRun(id, controller.signal, onEvent).catch(() => undefined);
    return () => {
      controller.abort();
      clearTimeout(pending.current);
    };
  }, [id, isLive]);
}

function RunFacts({ run }: { run: RunView }) {
  return (
    <dl class="facts">
      <div>
        <dt>status</dt>
        <dd>
          <StatusBadge status={run.status} />
        </dd>
      </div>
      <div>
        <dt>chain</dt>
        <dd>
          <Link href={`/ui/chains/${encodeURIComponent(run.chain_id)}`}>{run.chain_id}</Link> {run.chain_version > 0 ? `v${run.chain_version}` : run.chain_version === 0 ? "(bundled)" : "(inline)"}
        </dd>
      </div>
      <div>
        <dt>steps</dt>
        <dd>{run.step_count}</dd>
      </div>
      <div>
        <dt>tokens</dt>
        <dd>{tokens(run.usage)}</dd>
      </div>
      <div>
        <dt>created</dt>
        <dd>{time(run.created_at)}</dd>
      </div>
      <div>
        <dt>took</dt>
        <dd>{run.finished_at && run.started_at ? duration(run.finished_at - run.started_at) : "–"}</dd>
      </div>
      {run.forked_from && (
        <div>
          <dt>origin</dt>
          <dd>
            <ForkOrigin from={run.forked_from} />
          </dd>
        </div>
      )}
    </dl>
  );
}

function CancelButton({ runId, onCancelled }: { runId: string; onCancelled: () => void }) {
  const [error, setError] = useState<string>();
  const cancel = async () => {
    try {
      await api.post(`/runs/${runId}/cancel`);
      onCancelled();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <>
      <button type="button" class="danger" onClick={cancel}>
        Cancel run
      </button>
      {error && <span class="error-note">{error}</span>}
    </>
  );
}

/** For a run whose program was repaired: each version beside the next. */
function ProgramVersions({ steps }: { steps: Step[] }) {
  const programs = runPrograms(steps);
  if (programs.length < 2) return null;
  return (
    <section class="panel" aria-label="Program versions">
      <h2>Program versions</h2>
      {programs.slice(1).map((after, i) => {
        const before = programs[i]!;
        return (
          <SideBySideDiff
            key={i}
            before={before.envelope.code}
            after={after.envelope.code}
            language="javascript"
            labels={[`version ${i + 1} (step ${before.step.index})`, `version ${i + 2} (step ${after.step.index})`]}
          />
        );
      })}
    </section>
  );
}
