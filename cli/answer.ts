/**
 * A run's output as the CLI prints it: the answer's text for a chat output (and any text), JSON
 * for anything else.
 */
import { isChatHistory, stringify } from "../src/engine/templates";

export function answerText(output: unknown): string {
  if (typeof output === "string" || isChatHistory(output)) return stringify(output);
  return JSON.stringify(output, null, 2);
}
