/**
 * Tools an OpenAI-compatible client sent with its request. The server cannot run them, so a
 * chat turn that calls one ends the run and hands the calls back to the client.
 */
import type { ToolCall, ToolSpec } from "./chat";

/** The eval of a chat turn that calls a tool only the client can run. */
export const CLIENT_TOOL_CALL = "client-tool-call";

export function callsClientTool(calls: ToolCall[], clientTools: ToolSpec[], granted: ToolSpec[]): boolean {
  const serverSide = new Set(granted.map((t) => t.name));
  const clientOnly = new Set(clientTools.map((t) => t.name).filter((name) => !serverSide.has(name)));
  return calls.some((c) => clientOnly.has(c.function.name));
}
