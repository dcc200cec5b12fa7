/**
 * Sandbox limits: one type, safe defaults, and validation of a chain's `execute_config.limits`
 * (any subset of the fields; each a whole number within its ceiling) with errors that name the
 * offending field.
 */

export interface SandboxLimits {
  /** Wall time for the whole execution, enforced by the host and inside the isolate. */
  wall_ms: number;
  /** CPU time, passed to the platform (`limits.cpuMs`); local workerd does not enforce it. */
  cpu_ms: number;
  /** Capability calls (httpFetch, callTool, …, and plain fetch) per execution. */
  max_calls: number;
  /** JSON size of one call's arguments, and of one call's result. */
  max_arg_bytes: number;
  /** JSON size of the final result. */
  max_result_bytes: number;
  /** Total size of captured console output. */
  max_log_bytes: number;
  /** Steps before the run is stopped: loop iterations and function entries count 1, caught exceptions 100. */
  max_ticks: number;
  /** Bytes of one HTTP response body kept; the rest is cut off with a marker. */
  max_response_bytes: number;
  /** Bytes allocated in bulk (big strings, arrays, buffers, spreads), added up over the run: see runtime/meter.js. */
  max_alloc_bytes: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const DEFAULT_LIMITS = {
  wall_ms: 30_000,
  cpu_ms: 5_000,
  max_calls: 100,
  max_arg_bytes: 256 * KiB,
  max_result_bytes: 1 * MiB,
  max_log_bytes: 64 * KiB,
  max_ticks: 20_000_000,
  max_response_bytes: 1 * MiB,
  max_alloc_bytes: 256 * MiB,
} as const satisfies SandboxLimits;

/** The most a chain may ask for: bounded by what one Worker invocation can sensibly hold. */
const CEILINGS = {
  wall_ms: 300_000,
  cpu_ms: 300_000,
  max_calls: 10_000,
  max_arg_bytes: 16 * MiB,
  max_result_bytes: 16 * MiB,
  max_log_bytes: 4 * MiB,
  max_ticks: 2_000_000_000,
  max_response_bytes: 16 * MiB,
  max_alloc_bytes: 1024 * MiB,
} as const satisfies SandboxLimits;

const NAMES = Object.keys(DEFAULT_LIMITS) as (keyof SandboxLimits)[];

export type LimitsResult = { ok: true; limits: SandboxLimits } | { ok: false; error: string };

/** Merges `raw` (a chain's `execute_config.limits`, possibly absent) over the defaults. */
export function resolveLimits(raw: unknown, path = "execute_config.limits"): LimitsResult {
  if (raw === undefined || raw === null) return { ok: true, limits: { ...DEFAULT_LIMITS } };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, error: `${path} must be an object with any of: ${NAMES.join(", ")}` };
  }
  const overrides: Partial<SandboxLimits> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!isLimitName(key)) {
      return { ok: false, error: `${path}.${key} is not a sandbox limit (known: ${NAMES.join(", ")})` };
    }
    const ceiling = CEILINGS[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > ceiling) {
      return {
        ok: false,
        error: `${path}.${key} must be a whole number from 1 to ${ceiling} (got ${JSON.stringify(value) ?? String(value)})`,
      };
    }
    overrides[key] = value;
  }
  return { ok: true, limits: { ...DEFAULT_LIMITS, ...overrides } satisfies SandboxLimits };
}

function isLimitName(key: string): key is keyof SandboxLimits {
  return (NAMES as string[]).includes(key);
}
