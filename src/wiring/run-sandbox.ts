/**
 * The engine's `Sandbox` effect on Workers: each `run_js` execution gets a fresh Worker Loader
 * isolate whose only reach is two entrypoints bound to this run and task by their props —
 * `SandboxCapabilities` (its `env.CAPS`) and `EgressGate` (its `globalOutbound`). It runs in its
 * turn in the process's sandbox lane (sandbox/lane.ts), so a crash of the process can be blamed.
 */
import type { Sandbox, SandboxEnvelope, Tools } from "../engine/effects";
import type { Env } from "../env";
import type { CapabilityProps } from "../sandbox/capabilities";
import { inTurn, type SandboxTurn } from "../sandbox/lane";
import { readSandboxConfig } from "../sandbox/task-settings";
import { runSandbox } from "../sandbox/executor";
import { isolateDeps } from "./isolate-deps";

/** What the sandbox's host side needs to know of the run whose code it runs. */
export interface RunSandboxOptions {
  /** The hop count events sent by this run's code carry (runs started by events). */
  eventHops?: number;
  /** The run's record of its step's turn in the lane. */
  turn?: SandboxTurn;
  /** The run's role, inherited by the sub-runs its code starts. */
  principal?: string;
  /** Whether a domain contract governs the run: its code's tool calls are then decided by the run's object. */
  governed?: boolean;
}

export function workerSandbox(env: Env, tools: Tools, { eventHops, turn, principal, governed }: RunSandboxOptions = {}): Sandbox {
  return {
    async run(code, { task, runId, signal }): Promise<SandboxEnvelope> {
      const settings = readSandboxConfig(task.execute_config);
      if (!settings.ok) return { ok: false, result: null, error: settings.error, logs: [], calls: [], code, duration_ms: 0 };
      const grant = task.execute_config?.tools ?? [];
      const props: CapabilityProps = {
        runId,
        taskId: task.id,
        tools: grant,
        limits: settings.config.limits,
        ...(settings.config.egress_allow ? { egressAllow: settings.config.egress_allow } : {}),
        ...(eventHops !== undefined ? { hops: eventHops } : {}),
        ...(principal !== undefined ? { principal } : {}),
        ...(governed ? { governed: true as const } : {}),
      };
      const granted = (await tools.list(grant)).map((t) => t.name);
      return inTurn(turn, () => runSandbox(isolateDeps(env, props), code, { limits: settings.config.limits, tools: granted, signal }));
    },
  };
}
