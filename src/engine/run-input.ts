/**
 * What a run receives as its input from a caller that may send a chat transcript (a trigger's
 * event, a client's messages).
 */
import type { ChatMessage } from "./chat";

/** A chat transcript becomes a ChatHistory so chat tasks continue it; other input passes as is. */
export function runInput(input: unknown): unknown {
  if (Array.isArray(input) && input.length > 0 && input.every(isMessage)) return { kind: "chat", messages: input };
  return input ?? "";
}

function isMessage(value: unknown): value is ChatMessage {
  return typeof value === "object" && value !== null && "role" in value && "content" in value;
}
