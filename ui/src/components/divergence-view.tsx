/**
 * A replay's first divergence: the step and task, why it differs, and what the record holds
 * beside what the replay did — two prompts as chat bubbles, two tool calls or programs, two
 * transitions — with the changed lines marked underneath.
 */
import type { Divergence } from "../api/types";
import { comparable, reasonLabel, sideOf, type Side } from "../lib/replay-outcome";
import { ChatBubbles } from "./chat-bubbles";
import { JsonView } from "./json-view";
import { SideBySideDiff } from "./program-diff";

export function DivergenceView({ divergence }: { divergence: Divergence }) {
  const recorded = sideOf(divergence.recorded);
  const replayed = sideOf(divergence.replayed);
  const structured = [recorded, replayed].some((side) => side.kind === "prompt" || side.kind === "effect" || (side.kind === "value" && typeof side.value === "object"));
  const [before, after] = comparable(recorded, replayed);
  return (
    <section class="divergence" data-divergence-step={divergence.step} data-reason={divergence.reason} aria-label="First divergence">
      <h3>
        Step {divergence.step} · task <code>{divergence.task_id}</code> · {reasonLabel(divergence.reason)}
      </h3>
      <p class="divergence-message">{divergence.message}</p>
      <div class="sides">
        <SideView name="recorded" side={recorded} />
        <SideView name="replayed" side={replayed} />
      </div>
      {structured && (
        <details class="divergence-lines" open>
          <summary>Line by line</summary>
          <SideBySideDiff before={before} after={after} language="json" labels={["recorded", "replayed"]} />
        </details>
      )}
    </section>
  );
}

function SideView({ name, side }: { name: "recorded" | "replayed"; side: Side }) {
  return (
    <div class="side" data-side={name}>
      <h4>{name === "recorded" ? "Recorded" : "Replayed"}</h4>
      <SideContent side={side} />
    </div>
  );
}

function SideContent({ side }: { side: Side }) {
  switch (side.kind) {
    case "none":
      return <p class="muted">nothing asked for</p>;
    case "prompt":
      return (
        <>
          <p class="muted">LLM request{side.request.model ? ` to ${side.request.model}` : ""}</p>
          <ChatBubbles messages={side.messages} />
        </>
      );
    case "effect":
      return (
        <>
          <p class="muted">{side.effect}</p>
          <JsonView value={side.request} open={2} />
        </>
      );
    case "value":
      return typeof side.value === "string" ? <code class="side-value">{side.value}</code> : <JsonView value={side.value} open={2} />;
  }
}
