/**
 * The capability vocabulary shared by the isolate-facing entrypoints, the host wiring and the
 * sandbox runtime: each capability's failure value, the host interface behind the non-HTTP
 * globals (typed by the globals' declarations in engine/sandbox-globals.ts), and the `props` the
 * Worker gives the capability and egress-gate entrypoints for one execution. No Workers
 * imports, so the pure parts and their tests can use it.
 */
import { HTTP_FETCH_FAILURE } from "../egress/fetch";
import type {
  embed,
  EmbedResult,
  executeTask,
  executeTaskChain,
  ExecuteTaskChainResult,
  ExecuteTaskResult,
  HttpFetchResult,
  sendEvent,
  SendEventResult,
} from "../engine/sandbox-globals";
import type { ContractSnapshot } from "../engine/records";
import type { SandboxLimits } from "./limits";

export type {
  EmbedResult,
  ExecuteTaskChainResult,
  ExecuteTaskResult,
  HttpFetchInit,
  HttpFetchResult,
  SendEventResult,
} from "../engine/sandbox-globals";

/** What a tool call resolves to when it fails (a successful call returns the tool's result). */
export interface ToolFailure {
  error: string;
}

/** Each capability's failure value; the sandbox globals resolve to these, never throw. */
export interface CapabilityFailures {
  httpFetch: HttpFetchResult;
  executeTask: ExecuteTaskResult;
  executeTaskChain: ExecuteTaskChainResult;
  embed: EmbedResult;
  callTool: ToolFailure;
  sendEvent: SendEventResult;
}

export type CapabilityName = keyof CapabilityFailures;

/** The failure values without their `error`: shared by the host side and the sandbox runtime. */
export const FAILURE_SHAPES: { [K in CapabilityName]: Omit<CapabilityFailures[K], "error"> } = {
  httpFetch: HTTP_FETCH_FAILURE,
  executeTask: { success: false, response: "", task_id: "" },
  executeTaskChain: { success: false, output: null, run_id: "" },
  embed: { success: false, vectors: [] },
  callTool: {},
  sendEvent: { success: false, event_id: "" },
};

export function capabilityFailure<K extends CapabilityName>(name: K, error: string): CapabilityFailures[K] {
  return { ...FAILURE_SHAPES[name], error } as CapabilityFailures[K];
}

/**
 * What the sandbox's non-HTTP globals reach. Implementations never throw for remote failures:
 * they resolve to the failure shape (`success: false` with `error`; for tools, `{ error }`), and
 * they enforce the grant in `CapabilityProps.tools` themselves.
 */
export interface CapabilityHost {
  executeTask: typeof executeTask;
  executeTaskChain: typeof executeTaskChain;
  embed: typeof embed;
  /** The program's `callTool`, typed per grant for the model (see engine/tool-types.ts). */
  callTool(name: string, args: unknown): Promise<unknown>;
  sendEvent: typeof sendEvent;
}

/** Props of `SandboxCapabilities` for one execution (structured-cloneable). */
export interface CapabilityProps {
  runId: string;
  taskId: string;
  /** The task's tool grant as written in `execute_config.tools` (`"*"`, names, `"!name"`). */
  tools: string[];
  /** `execute_config.egress_allow`, validated; absent means any public host. */
  egressAllow?: string[];
  limits: SandboxLimits;
  /**
   * Hop count the events this code sends will carry (the triggering event's + 1), so sendEvent
   * loops end. Absent for a chain run's code: the host reads it from the run (`event_hops`).
   */
  hops?: number;
  /** For a function: the outside event its event's cascade began with (events/cascade.ts). A run's code reads it from the run. */
  eventRoot?: string;
  /** Set when a redelivery may run this code again: see `ReplayKey`. */
  replay?: ReplayKey;
  /** The role the code acts as (its run's, or its trigger's); sub-runs it starts inherit it. */
  principal?: string;
  /** Set when a domain contract governs the run: each tool call is decided by the run's object first. */
  governed?: true;
  /** For a function its grant puts under a contract: the contract as it was when the execution started. */
  contract?: { id: string } & ContractSnapshot;
}

/**
 * For code a redelivered event may run again (a function): the events it sends and the sub-runs
 * it starts get ids from `key` (the trigger and the event) and their number within the execution
 * (counted under `execution`), so a second run re-sends the same ids and duplicates are dropped.
 */
export interface ReplayKey {
  key: string;
  execution: string;
}

/** Props of `EgressGate`: a `CapabilityProps` object can be passed as is. */
export type GateProps = Pick<CapabilityProps, "runId" | "egressAllow" | "limits">;
