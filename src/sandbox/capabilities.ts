/**
 * The capability vocabulary shared by the isolate-facing entrypoints, the host wiring and the
 * prelude: what each sandbox global returns, the host interface behind the non-HTTP globals, and
 * the `props` the Worker gives the capability and egress-gate entrypoints for one execution.
 * No Workers imports, so the pure parts and their tests can use it.
 */
import type { SandboxLimits } from "./limits";

export interface HttpFetchInit {
  method?: string;
  headers?: Record<string, string> | [string, string][];
  /** A string is sent as is; any other value is sent as JSON. */
  body?: unknown;
}

export interface HttpFetchResult {
  ok: boolean;
  status: number;
  statusText: string;
  /** The final URL, after redirects. */
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Set when the body was cut off at `limits.max_response_bytes` (a marker ends the body). */
  truncated?: boolean;
  error?: string;
}

export interface ExecuteTaskResult {
  success: boolean;
  response: string;
  error?: string;
  task_id: string;
}

export interface ExecuteTaskChainResult {
  success: boolean;
  output: unknown;
  error?: string;
  run_id: string;
}

export interface SendEventResult {
  success: boolean;
  event_id: string;
  error?: string;
}

/** What a tool call resolves to when it fails (a successful call returns the tool's result). */
export interface ToolFailure {
  error: string;
}

/** Each capability's failure value; the sandbox globals resolve to these, never throw. */
export interface CapabilityFailures {
  httpFetch: HttpFetchResult;
  executeTask: ExecuteTaskResult;
  executeTaskChain: ExecuteTaskChainResult;
  callTool: ToolFailure;
  sendEvent: SendEventResult;
}

export type CapabilityName = keyof CapabilityFailures;

/** The failure values without their `error`: shared by the host side and the isolate prelude. */
export const FAILURE_SHAPES: { [K in CapabilityName]: Omit<CapabilityFailures[K], "error"> } = {
  httpFetch: { ok: false, status: 0, statusText: "", url: "", headers: {}, body: "" },
  executeTask: { success: false, response: "", task_id: "" },
  executeTaskChain: { success: false, output: null, run_id: "" },
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
  executeTask(prompt: string, model?: string, provider?: string): Promise<ExecuteTaskResult>;
  executeTaskChain(chainId: string, input: unknown): Promise<ExecuteTaskChainResult>;
  callTool(name: string, args: unknown): Promise<unknown>;
  sendEvent(type: string, data: unknown): Promise<SendEventResult>;
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
  /** Set when a redelivery may run this code again: see `ReplayKey`. */
  replay?: ReplayKey;
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

/** The Worker bindings the sandbox entrypoints read. */
export interface SandboxEnv {
  /** Operator allow-list of non-public hosts, comma-separated `host[:port]`. */
  EGRESS_ALLOW?: string;
}
