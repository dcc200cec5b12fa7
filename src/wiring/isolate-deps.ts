/**
 * What a sandbox isolate is given, bound to one execution by its props: the Worker Loader, the
 * `SandboxCapabilities` entrypoint as its `env.CAPS` and the `EgressGate` as its only network.
 */
import { exports } from "cloudflare:workers";
import type { Env } from "../env";
import type { CapabilityProps } from "../sandbox/capabilities";
import type { SandboxDeps } from "../sandbox/executor";

export function isolateDeps(env: Env, props: CapabilityProps): SandboxDeps<Fetcher> {
  return { loader: env.LOADER, capabilities: exports.SandboxCapabilities({ props }), gate: exports.EgressGate({ props }) };
}
