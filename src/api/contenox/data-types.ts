/**
 * Contenox's data types on `/tasks`: `inputType` says how to read the request's `input`, and
 * `outputType` names what the run produced (`string`, `int`, `float`, `bool`, `chat_history`,
 * `json`, `nil`).
 */
import { isChatHistory } from "../../engine/templates";
import { runInput } from "../../engine/run-input";
import { ApiError } from "../errors";

export const INPUT_TYPES = ["any", "json", "string", "int", "float", "bool", "chat_history", "openai_chat"] as const;
export type InputType = (typeof INPUT_TYPES)[number];

export function typedInput(input: unknown, type: InputType): unknown {
  switch (type) {
    case "string":
      return typeof input === "string" ? input : JSON.stringify(input ?? "");
    case "int":
    case "float": {
      const n = typeof input === "number" ? input : typeof input === "string" && input.trim() !== "" ? Number(input) : Number.NaN;
      if (!Number.isFinite(n)) throw invalid(`input must be a number for inputType "${type}"`);
      return type === "int" ? Math.trunc(n) : n;
    }
    case "bool":
      if (typeof input === "boolean") return input;
      if (input === "true" || input === "false") return input === "true";
      throw invalid('input must be true or false for inputType "bool"');
    case "chat_history":
    case "openai_chat": {
      const messages = Array.isArray(input) ? input : (input as { messages?: unknown } | null)?.messages;
      const history = runInput(messages);
      if (!isChatHistory(history)) throw invalid(`input must hold a non-empty messages array for inputType "${type}"`);
      return history;
    }
    case "json":
    case "any":
      return runInput(input);
  }
}

export function outputType(output: unknown): string {
  if (output === null || output === undefined) return "nil";
  if (isChatHistory(output)) return "chat_history";
  if (typeof output === "string") return "string";
  if (typeof output === "boolean") return "bool";
  if (typeof output === "number") return Number.isInteger(output) ? "int" : "float";
  return "json";
}

function invalid(message: string): ApiError {
  return new ApiError(400, "invalid_request", message, { path: "input" });
}
