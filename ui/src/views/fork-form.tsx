/**
 * "Fork from here": a new run that starts with this run's state before the chosen step and runs
 * live from it (`POST /runs/:id/fork`). Vars are rows merged into the run's; the input, the
 * previous step's output (prefilled with what it was) and the chain (prefilled with the run's,
 * checked as it is typed) are each replaced only when their box is ticked. On success the new
 * run's inspector opens.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api } from "../api/client";
import type { Chain, Forked, RunView, Step } from "../api/types";
import { ChainSource, CheckVerdict, chainText, useChainCheck } from "../components/chain-source";
import { KeyValueRows, rowsToRecord, type Row } from "../components/key-value-rows";
import { SubmitForm } from "../components/submit-form";
import { chainVarNames } from "../lib/chain-vars";
import { forkRequest, inputText } from "../lib/fork-request";
import { navigate } from "../lib/router";

interface Props {
  run: RunView;
  step: Step;
  /** The step before `step`, whose output a patch replaces; absent for the first step. */
  previous: Step | undefined;
  chain: Chain;
  onClose: () => void;
}

interface Replaced {
  on: boolean;
  text: string;
}

export function ForkForm({ run, step, previous, chain, onClose }: Props) {
  const [vars, setVars] = useState<Row[]>([{ key: "", value: "" }]);
  const original = inputText(run.input);
  const [input, setInput] = useState<Replaced>({ on: false, text: original.text });
  const [patch, setPatch] = useState<Replaced>({ on: false, text: previous ? JSON.stringify(previous.output, null, 2) : "" });
  const [edited, setEdited] = useState<Replaced>({ on: false, text: chainText(chain) });
  const checked = useChainCheck(edited.on ? edited.text : "");
  const first = useRef<HTMLDivElement>(null);
  useEffect(() => first.current?.querySelector("input")?.focus(), []);

  const submit = async () => {
    const request = forkRequest({
      from_step: step.index,
      vars: rowsToRecord(vars),
      ...(input.on ? { input: { text: input.text, asText: original.asText } } : {}),
      ...(patch.on && previous ? { patch: patch.text } : {}),
      ...(edited.on ? { chain: edited.text } : {}),
    });
    if (!request.ok) throw new ApiError(400, "invalid_request", request.message, request.path);
    const forked = await api.post<Forked>(`/runs/${encodeURIComponent(run.id)}/fork`, request.body);
    navigate(`/ui/runs/${encodeURIComponent(forked.id)}`);
    return `Forked as ${forked.id}.`;
  };

  return (
    <div class="fork" data-fork-form={step.index} onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <SubmitForm
        label={`Fork from step ${step.index}`}
        submit={submit}
        onDone={() => undefined}
        class="fork-form"
        actions={
          <button type="button" onClick={onClose}>
            Close
          </button>
        }
      >
        <p class="muted">
          A new run starts with this run's state before step {step.index} ({step.task_id}), copied rather than run again, and runs live from there. Esc closes.
        </p>
        <div ref={first}>
          <KeyValueRows legend="Vars" rows={vars} onChange={setVars} suggestions={chainVarNames(chain)} />
        </div>
        <Replace label="Replace the input" replaced={input} onChange={setInput}>
          <textarea aria-label="New input" rows={4} value={input.text} onInput={(e) => setInput({ on: true, text: e.currentTarget.value })} />
        </Replace>
        {previous && (
          <Replace label={`Patch the output of step ${previous.index} (${previous.task_id}), as JSON`} replaced={patch} onChange={setPatch}>
            <textarea aria-label="Patched output (JSON)" rows={10} spellcheck={false} value={patch.text} onInput={(e) => setPatch({ on: true, text: e.currentTarget.value })} />
          </Replace>
        )}
        <Replace label="Run an edited chain from there" replaced={edited} onChange={setEdited}>
          <p>
            Chain <CheckVerdict {...checked} />
          </p>
          <ChainSource label="Chain to fork with (JSONC)" value={edited.text} onInput={(text) => setEdited({ on: true, text })} checked={checked} />
        </Replace>
      </SubmitForm>
    </div>
  );
}

/** A box that, ticked, sends what is under it. */
function Replace({ label, replaced, onChange, children }: { label: string; replaced: Replaced; onChange: (value: Replaced) => void; children: ComponentChildren }) {
  return (
    <div class="replace">
      <label class="check-label">
        <input type="checkbox" checked={replaced.on} onChange={(e) => onChange({ ...replaced, on: e.currentTarget.checked })} /> {label}
      </label>
      {replaced.on && children}
    </div>
  );
}
