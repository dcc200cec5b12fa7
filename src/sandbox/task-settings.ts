/**
 * The sandbox settings a chain task carries in its `execute_config`: `limits` (see limits.ts)
 * and `egress_allow` (hosts the task's code may reach; absent means any public host). Read once
 * when a run_js step starts, so bad settings fail the step before any code runs.
 */
import type { ExecuteConfig } from "../engine/chain";
import { parseAllowList } from "../egress/policy";
import { resolveLimits } from "./limits";
import type { SandboxLimits } from "./limits";

export interface SandboxConfig {
  limits: SandboxLimits;
  /** Validated `host[:port]` entries, passed on to the capability and gate props. */
  egress_allow?: string[];
}

export type SandboxConfigResult = { ok: true; config: SandboxConfig } | { ok: false; error: string };

export function readSandboxConfig(executeConfig: ExecuteConfig | undefined): SandboxConfigResult {
  const limits = resolveLimits(executeConfig?.limits);
  if (!limits.ok) return limits;
  const allow = executeConfig?.egress_allow;
  if (allow === undefined) return { ok: true, config: { limits: limits.limits } };
  if (!Array.isArray(allow) || !allow.every((entry) => typeof entry === "string")) {
    return { ok: false, error: "execute_config.egress_allow must be a list of host[:port] strings" };
  }
  const { invalid } = parseAllowList(allow);
  if (invalid.length > 0) {
    return {
      ok: false,
      error: `execute_config.egress_allow has entries that are not host[:port]: ${invalid.map((e) => JSON.stringify(e)).join(", ")}`,
    };
  }
  return { ok: true, config: { limits: limits.limits, egress_allow: allow } };
}
