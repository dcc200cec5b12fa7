/**
 * One step, readably: what it was (task, handler, eval, where it went, attempt, time, model,
 * tokens), the exact LLM requests and replies for LLM steps, the programs of code-mode steps,
 * and its input and output; in a fork, the run and step a copied step came from.
 */
import type { ComponentChildren } from "preact";
import { ChatBubbles } from "../components/chat-bubbles";
import { JsonView } from "../components/json-view";
import { LlmCallView } from "../components/llm-call-view";
import { ProgramView } from "../components/program-view";
import type { Step } from "../api/types";
import { duration, time, tokens } from "../lib/format";
import { isHistory } from "../lib/chat-values";
import { stepPrograms } from "../lib/programs";
import { Link } from "../lib/router";

/** `actions`: what can be done from this step (the inspector's "Fork from here"). */
export function StepDetail({ step, actions }: { step: Step; actions?: ComponentChildren }) {
  const programs = stepPrograms(step);
  return (
    <article class="step-detail" data-step-detail={step.index} aria-label={`Step ${step.index}`}>
      <header>
        <div class="step-head">
          <h3>
            #{step.index} {step.task_id} <span class="muted">{step.handler}</span>
          </h3>
          {actions}
        </div>
        {step.copied_from && (
          <p class="copied-note" data-copied-from={step.copied_from.run_id}>
            {step.patched ? "Copied, with its output patched, from" : "Copied from"}{" "}
            <Link href={`/ui/runs/${encodeURIComponent(step.copied_from.run_id)}?step=${step.copied_from.step}`}>
              run <code>{step.copied_from.run_id}</code>, step {step.copied_from.step}
            </Link>
            : it did not run here.
          </p>
        )}
        <dl class="facts">
          <Fact name="eval" value={step.eval || "–"} />
          <Fact name="went to" value={step.goto ?? "–"} />
          <Fact name="attempt" value={String(step.attempt)} />
          <Fact name="started" value={time(step.started_at)} />
          <Fact name="took" value={duration(step.duration_ms)} />
          <Fact name="model" value={step.model ?? "–"} />
          <Fact name="tokens" value={tokens(step.usage)} />
          {step.retry && <Fact name="retry" value={`attempt ${step.retry.attempt} after ${duration(step.retry.delay_ms)}${step.retry.model ? ` on ${step.retry.model}` : ""}`} />}
        </dl>
      </header>
      {step.error && (
        <p class="error-note" role="alert">
          {step.error.type}: {step.error.message}
        </p>
      )}
      {step.llm_calls?.map((call, i) => (
        <LlmCallView key={i} call={call} index={i} />
      ))}
      {programs.map((envelope, i) => (
        <ProgramView key={i} envelope={envelope} />
      ))}
      <details class="io" open={!step.llm_calls?.length && programs.length === 0}>
        <summary>Input</summary>
        <Value value={step.input} />
      </details>
      <details class="io" open={!step.llm_calls?.length && programs.length === 0}>
        <summary>Output</summary>
        <Value value={step.output} />
      </details>
    </article>
  );
}

function Fact({ name, value }: { name: string; value: string }) {
  return (
    <div>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Value({ value }: { value: unknown }) {
  if (isHistory(value)) return <ChatBubbles messages={value.messages} />;
  return <JsonView value={value} />;
}
