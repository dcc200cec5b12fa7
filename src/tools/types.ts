/**
 * The tool vocabulary every tools module shares: a tool as the registry holds it, where tools
 * come from, and the gates (approval, contract) a call may have to pass.
 */
import type { JsonSchema } from "../engine/json-schema";
import type { ToolSpec } from "../engine/chat";
import type { ToolCallContext, Tools } from "../engine/effects";

export interface ToolEntry {
  spec: ToolSpec;
  /** The service that provides it (a grant may name the service to mean all its tools). */
  service: string;
  /** The result's schema when known, for the code-mode type declarations. */
  returns?: JsonSchema;
  /** A call pauses the run until a human approves or denies it. */
  requires_approval?: boolean;
  call(args: unknown, ctx: ToolCallContext): Promise<unknown>;
}

export interface ToolSource {
  entries(): Promise<ToolEntry[]>;
}

/** Whether a call to a tool that needs approval may run now, and if not what the caller is told. */
export type ApprovalVerdict = { run: true } | { run: false; result: unknown };

export type ApprovalGate = (entry: ToolEntry, ctx: ToolCallContext) => ApprovalVerdict;

/** Calls a tool by name past any gate: arguments checked, no approval asked (one that needs it is refused). */
export type ToolRead = (name: string, args: unknown, ctx: ToolCallContext) => Promise<unknown>;

/**
 * What stands between a call and the service besides its grant and approval: the domain
 * contract's gate (src/contract/gate.ts). It answers for the call, calling `proceed` only when
 * the call may go ahead; `read` is for the reads it makes itself (an entity's current state).
 */
export type CallGate = (call: { name: string; args: unknown; ctx: ToolCallContext }, proceed: () => Promise<unknown>, read: ToolRead) => Promise<unknown>;

export type ToolRegistry = Tools & { entries(): Promise<ToolEntry[]>; read: ToolRead };
