/**
 * A conversation as chat bubbles: one per message, labelled with its role; tool calls and JSON
 * content folded, text kept as written.
 */
import type { RecordedMessage, ToolCall } from "../api/types";
import { parseJson } from "../lib/chat-values";
import { JsonView } from "./json-view";

export function ChatBubbles({ messages }: { messages: RecordedMessage[] }) {
  return (
    <ol class="bubbles">
      {messages.map((message, i) => (
        <Bubble key={i} message={message} />
      ))}
    </ol>
  );
}

export function Bubble({ message }: { message: RecordedMessage }) {
  return (
    <li class={`bubble bubble-${message.role}`} data-role={message.role}>
      <div class="bubble-role">
        {message.role}
        {message.name ? ` · ${message.name}` : ""}
        {message.tool_call_id ? ` · ${message.tool_call_id}` : ""}
      </div>
      <Content content={message.content} />
      {message.tool_calls?.map((call) => <ToolCallView key={call.id} call={call} />)}
    </li>
  );
}

function Content({ content }: { content: RecordedMessage["content"] }) {
  if (content === null || content === "") return null;
  if (typeof content !== "string") return <JsonView value={content} open={0} />;
  const parsed = parseJson(content);
  if (parsed !== undefined && typeof parsed === "object" && parsed !== null) return <JsonView value={parsed} open={0} />;
  return <div class="bubble-text">{content}</div>;
}

export function ToolCallView({ call }: { call: ToolCall }) {
  const args = parseJson(call.function.arguments);
  return (
    <div class="tool-call">
      <span class="tool-call-name">{call.function.name}</span> <span class="muted">{call.id}</span>
      <JsonView value={args ?? call.function.arguments} open={0} />
    </div>
  );
}
