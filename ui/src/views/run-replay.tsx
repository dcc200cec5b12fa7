/**
 * `/ui/runs/<id>/replay`: the run replayed against its recorded effects (`POST /runs/:id/replay`,
 * which calls nothing). It replays at once with the chain the run used; the chain can then be
 * edited (checked as it is typed) and replayed again to see what the edit would change. The
 * answer reads as same / diverged / not replayable; a divergence shows the step, task and reason
 * with the recorded and replayed sides together, and is marked in the graph and the timeline.
 */
import { parse } from "jsonc-parser";
import { useEffect, useMemo, useState } from "preact/hooks";
import { api } from "../api/client";
import type { Chain, RunReplay, RunView, Step } from "../api/types";
import { ChainGraph } from "../components/chain-graph";
import { ChainSource, CheckVerdict, chainText, useChainCheck } from "../components/chain-source";
import { DivergenceView } from "../components/divergence-view";
import { ErrorNote } from "../components/status";
import { StepTimeline, type ReplayMarks } from "../components/step-timeline";
import { chainGraph, sketchChain } from "../lib/graph-model";
import { OUTCOME_LABEL, outcomeOf } from "../lib/replay-outcome";
import { Link, navigate, withQuery, type Location } from "../lib/router";
import { useApi } from "../lib/use-api";
import { StepDetail } from "./step-detail";

interface Replayed {
  report: RunReplay;
  /** The chain as replayed, for the graph. */
  chain: Chain | undefined;
  edited: boolean;
}

export function RunReplayView({ id, location }: { id: string; location: Location }) {
  const path = `/runs/${encodeURIComponent(id)}`;
  const run = useApi<RunView>(path);
  const log = useApi<{ data: Step[] }>(`${path}/steps`);
  const runChain = useApi<{ definition: Chain }>(`${path}/chain`);
  const original = useMemo(() => (runChain.data ? chainText(runChain.data.definition) : ""), [runChain.data]);
  const [text, setText] = useState("");
  const checked = useChainCheck(text);
  const [replayed, setReplayed] = useState<Replayed>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const edited = text !== original;

  const replay = async (source: string) => {
    const isEdit = source !== original;
    setBusy(true);
    setError(undefined);
    try {
      const report = await api.post<RunReplay>(`${path}/replay`, isEdit ? { chain: source } : {});
      setReplayed({ report, chain: sketchChain(parse(source, [], { allowTrailingComma: true })), edited: isEdit });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (!original) return;
    setText(original);
    void replay(original);
  }, [original]);

  const steps = log.data?.data ?? [];
  const report = replayed?.report;
  const divergence = report?.first_divergence ?? null;
  const marks = useMemo<ReplayMarks | undefined>(() => report && { same: new Set(report.steps.map((s) => s.index)), diverged: divergence?.step ?? null }, [report]);
  const graph = useMemo(() => (replayed?.chain && run.data ? chainGraph(replayed.chain, { run: run.data, steps, current: null }) : undefined), [replayed, run.data, steps]);
  const selected = location.query.get("step") ?? (divergence ? String(divergence.step) : null);
  const selectedStep = steps.find((s) => String(s.index) === selected);
  const select = (index: number) => navigate(withQuery({ step: String(index) }), { replace: true });

  const failed = run.error ?? runChain.error ?? log.error;
  if (failed) return <ErrorNote error={failed} />;
  if (!run.data || !runChain.data) return <p class="muted">Loading run…</p>;
  return (
    <div class="replay-view">
      <header class="page-head">
        <h1>
          Replay of run{" "}
          <Link href={`/ui/runs/${encodeURIComponent(id)}`}>
            <code>{id}</code>
          </Link>
        </h1>
        <span class="muted">against its recorded effects: no provider, tool or isolate is called</span>
      </header>
      <section class="panel replay-outcome" aria-label="Replay outcome" aria-live="polite" aria-busy={busy}>
        {replayed ? <Outcome report={replayed.report} edited={replayed.edited} /> : busy ? <p class="muted">Replaying…</p> : null}
        <ErrorNote error={error} />
      </section>
      <div class="inspector-main">
        <section class="panel graph-panel" aria-label="Graph">
          <h2>Graph {replayed?.edited && <span class="muted">(edited chain)</span>}</h2>
          {graph ? <ChainGraph graph={graph} diverged={divergence?.task_id ?? null} /> : <p class="muted">The graph appears once the chain reads as a chain.</p>}
        </section>
        <section class="panel" aria-label="Steps">
          <h2>Recorded steps</h2>
          <StepTimeline steps={steps} selected={selectedStep?.index} onSelect={select} {...(marks ? { replay: marks } : {})} />
        </section>
      </div>
      <section class="panel" aria-label="Chain to replay">
        <h2>
          Chain to replay <CheckVerdict {...checked} /> <span class="muted">{edited ? "edited" : "as the run used it"}</span>
        </h2>
        <ChainSource label="Chain to replay (JSONC)" value={text} onInput={setText} checked={checked} />
        <div class="actions">
          <button type="button" class="primary" data-action="replay" disabled={busy || (edited && checked.check !== "valid")} onClick={() => void replay(text)}>
            {edited ? "Replay with the edited chain" : "Replay again"}
          </button>
          <button type="button" disabled={!edited} onClick={() => setText(original)}>
            Reset to the run's chain
          </button>
        </div>
      </section>
      {selectedStep && <StepDetail step={selectedStep} />}
    </div>
  );
}

function Outcome({ report, edited }: { report: RunReplay; edited: boolean }) {
  const outcome = outcomeOf(report);
  const chain = edited ? "the edited chain" : "the chain the run used";
  return (
    <div data-replay-outcome={outcome}>
      <h2>
        <span class={`outcome outcome-${outcome}`}>{OUTCOME_LABEL[outcome]}</span>{" "}
        {outcome === "same"
          ? `With ${chain}, all ${report.steps.length} recorded step${report.steps.length === 1 ? "" : "s"} replay as recorded.`
          : outcome === "diverged"
            ? `With ${chain}, the run would first behave otherwise at step ${report.first_divergence?.step}.`
            : `The run cannot be replayed with ${chain}.`}
      </h2>
      {report.reason && <p class="replay-reason">{report.reason}</p>}
      {report.first_divergence && <DivergenceView divergence={report.first_divergence} />}
    </div>
  );
}
