/**
 * Chat data in OpenAI's wire shapes, the lingua franca of providers and clients: messages, tool
 * calls, tool specs, token usage, and the conversation a chat task passes on.
 */

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type ContentPart = { type: "text"; text: string } | { type: string; [k: string]: unknown };

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
}

/** What a chat task passes on: the whole conversation so far. */
export interface ChatHistory {
  kind: "chat";
  messages: ChatMessage[];
  /**
   * Why the provider stopped the last reply when it was cut short; absent when it ended on its
   * own, which the reply itself shows (tool calls or not). Kept beside the messages, not on
   * them, so the conversation stays valid to send to a provider again.
   */
  finish_reason?: CutShort;
}

/** The finish reasons that tell a client its answer is incomplete. */
export type CutShort = "length" | "content_filter";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ToolSpec {
  /** Name offered to the model (provider-safe: [A-Za-z0-9_-], ≤ 64). */
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
}
