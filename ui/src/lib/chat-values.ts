/** Reading values a step or a tool message carries: JSON text, and the conversation chat tasks pass on. */
import type { ChatHistory } from "../api/types";

/** The value of JSON text; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether a step's input or output is a conversation (what chat tasks pass on). */
export function isHistory(value: unknown): value is ChatHistory {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "chat" && Array.isArray((value as ChatHistory).messages);
}
