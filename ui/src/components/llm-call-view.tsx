/**
 * One LLM request exactly as it was sent — model and provider, sampling settings, the tools
 * offered, every message (the system prompt after macro expansion included) — and the reply as
 * it came back, or the error.
 */
import { isTruncated } from "../../../src/engine/truncate";
import type { LlmCall, ToolSpec } from "../api/types";
import { duration, tokens } from "../lib/format";
import { Bubble, ChatBubbles } from "./chat-bubbles";
import { JsonView } from "./json-view";

export function LlmCallView({ call, index }: { call: LlmCall; index: number }) {
  const { request, reply, error } = call;
  const settings = (["max_tokens", "temperature", "top_p", "stop", "tool_choice"] as const).filter((k) => request[k] !== undefined);
  return (
    <section class="llm-call" data-llm-call={index}>
      <header class="llm-call-head">
        <strong>{call.model ?? "unknown model"}</strong>
        {call.provider && <span> via {call.provider}</span>}
        {request.model && request.model !== call.model && <span class="muted"> (asked for {request.model})</span>} · {duration(call.duration_ms)}
        {reply?.finish_reason && <span> · finish: {reply.finish_reason}</span>}
        {reply?.usage && <span> · tokens {tokens(reply.usage)}</span>}
      </header>
      {settings.length > 0 && (
        <dl class="facts">
          {settings.map((k) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{typeof request[k] === "object" ? JSON.stringify(request[k]) : String(request[k])}</dd>
            </div>
          ))}
        </dl>
      )}
      {request.tools && <ToolsOffered tools={request.tools} />}
      <h4>Sent</h4>
      <ChatBubbles messages={request.messages} />
      <h4>Reply</h4>
      {reply ? (
        <ol class="bubbles">
          <Bubble message={{ role: "assistant", content: reply.content, ...(reply.tool_calls ? { tool_calls: reply.tool_calls } : {}) }} />
        </ol>
      ) : null}
      {error && (
        <p class="error-note" role="alert">
          {error.type}: {error.message}
        </p>
      )}
    </section>
  );
}

function ToolsOffered({ tools }: { tools: NonNullable<LlmCall["request"]["tools"]> }) {
  const names = isTruncated(tools) ? "(too large to keep whole)" : tools.map((t: ToolSpec) => t.name).join(", ");
  if (!isTruncated(tools) && tools.length === 0) return null;
  return (
    <details class="tools-offered">
      <summary>Tools offered: {names}</summary>
      <JsonView value={tools} open={1} />
    </details>
  );
}
