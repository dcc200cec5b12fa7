/**
 * The two Worker entrypoints a sandbox isolate is given, each bound to one execution by its
 * `props`: `EgressGate` is the isolate's `globalOutbound` (its plain `fetch()`), and
 * `SandboxCapabilities` is its `env.CAPS`, the RPC target of the prelude's globals. Both enforce
 * on the host side what the isolate cannot be trusted to: the egress policy, the per-call
 * argument size, the failures-as-values contract, and that nothing handed back to the code holds
 * a secret of the runtime. The Worker exports both classes and passes
 * `ctx.exports.EgressGate({ props })` and `ctx.exports.SandboxCapabilities({ props })` to
 * `runSandbox`.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { readConfig } from "../config";
import { forbiddenKeyMessage, forbiddenKeyPath } from "../engine/json-text";
import { capabilityFailure } from "../sandbox/capabilities";
import type {
  CapabilityFailures,
  CapabilityHost,
  CapabilityName,
  CapabilityProps,
  EmbedResult,
  ExecuteTaskChainResult,
  ExecuteTaskResult,
  GateProps,
  HttpFetchResult,
  SendEventResult,
} from "../sandbox/capabilities";
import { gateFetch, httpFetch } from "../egress/fetch";
import type { EgressOptions } from "../egress/fetch";
import { egressPolicy } from "../egress/policy";
import type { Env } from "../env";
import { createCapabilityHost } from "./capability-host";
import { runtimeScrubber } from "./runtime-secrets";

function egressOptions(env: Env, props: GateProps): EgressOptions {
  return {
    policy: egressPolicy(readConfig(env), props.egressAllow),
    timeoutMs: props.limits.wall_ms,
    maxResponseBytes: props.limits.max_response_bytes,
    maxRequestBytes: props.limits.max_arg_bytes,
  };
}

export class EgressGate extends WorkerEntrypoint<Env, GateProps> {
  override async fetch(request: Request): Promise<Response> {
    const scrub = await runtimeScrubber(this.env, readConfig(this.env));
    return gateFetch(request, { ...egressOptions(this.env, this.ctx.props), scrub });
  }
}

export class SandboxCapabilities extends WorkerEntrypoint<Env, CapabilityProps> {
  async httpFetch(url: unknown, init?: unknown): Promise<HttpFetchResult> {
    return this.guard("httpFetch", [url, init], () => httpFetch(url, init, egressOptions(this.env, this.ctx.props)));
  }

  async executeTask(prompt: string, model?: string, provider?: string): Promise<ExecuteTaskResult> {
    return this.guard("executeTask", [prompt, model, provider], (host) => host.executeTask(prompt, model, provider));
  }

  async executeTaskChain(chainId: string, input: unknown): Promise<ExecuteTaskChainResult> {
    return this.guard("executeTaskChain", [chainId, input], (host) => host.executeTaskChain(chainId, input));
  }

  async embed(textOrList: string | string[], model?: string): Promise<EmbedResult> {
    return this.guard("embed", [textOrList, model], (host) => host.embed(textOrList, model));
  }

  async callTool(name: string, args: unknown): Promise<unknown> {
    return this.guard("callTool", [name, args], (host) => host.callTool(name, args));
  }

  async sendEvent(type: string, data: unknown): Promise<SendEventResult> {
    return this.guard("sendEvent", [type, data], (host) => host.sendEvent(type, data));
  }

  /**
   * Refuses oversized arguments and `__proto__` keys (engine/json-text.ts), turns anything thrown
   * into the capability's failure value, and scrubs every secret of the runtime from what goes
   * back: a service may echo a credential, and nothing the code sees may hold one.
   */
  private async guard<K extends CapabilityName, R>(
    name: K,
    args: unknown[],
    call: (host: CapabilityHost) => Promise<R>,
  ): Promise<R | CapabilityFailures[K]> {
    const limit = this.ctx.props.limits.max_arg_bytes;
    let result: R | CapabilityFailures[K];
    try {
      const size = new TextEncoder().encode(JSON.stringify(args)).length;
      const forbidden = forbiddenKeyPath(args);
      if (size > limit) {
        result = capabilityFailure(name, `${name}: arguments are ${size} bytes, over limits.max_arg_bytes (${limit})`);
      } else if (forbidden) {
        result = capabilityFailure(name, `${name}: ${forbiddenKeyMessage()} (argument ${forbidden.join(".")})`);
      } else {
        result = await call(createCapabilityHost(this.env, this.ctx.props));
      }
    } catch (error) {
      result = capabilityFailure(name, `${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return (await runtimeScrubber(this.env, readConfig(this.env))).value(result);
  }
}
