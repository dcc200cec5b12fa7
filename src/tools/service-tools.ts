/**
 * Registered services as a `ToolSource`: one entry per discovered operation or MCP tool. The
 * credentials are opened only inside a call, added to that call's request, and scrubbed from
 * whatever comes back.
 */
import type { ToolCallContext } from "../engine/effects";
import { redactSecrets, secretValues, type Credentials } from "./credentials";
import { callMcpTool } from "./mcp/client";
import { sendHttpRequest } from "./openapi/call";
import { buildHttpRequest, RequestShapeError } from "./openapi/request";
import type { ToolEntry, ToolSource } from "./types";
import type { ServiceTool, StoredService } from "./service";

export interface RegisteredToolsDeps {
  services(): Promise<StoredService[]>;
  openCredentials(sealed: string | null): Promise<Credentials>;
  fetcher?: typeof fetch;
}

export function registeredTools(deps: RegisteredToolsDeps): ToolSource {
  return {
    async entries() {
      return (await deps.services()).flatMap((service) => service.config.tools.map((tool) => entryFor(service, tool, deps)));
    },
  };
}

function entryFor(service: StoredService, tool: ServiceTool, deps: RegisteredToolsDeps): ToolEntry {
  return {
    service: service.name,
    spec: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.parameters },
    ...(tool.returns === undefined ? {} : { returns: tool.returns }),
    requires_approval: tool.requires_approval,
    async call(args, ctx) {
      const credentials = await deps.openCredentials(service.sealed_credentials);
      const result = await callService(service, tool, args, credentials, ctx, deps.fetcher);
      return redactSecrets(result, secretValues(credentials));
    },
  };
}

async function callService(service: StoredService, tool: ServiceTool, args: unknown, credentials: Credentials, ctx: ToolCallContext, fetcher?: typeof fetch): Promise<unknown> {
  if (service.type === "mcp") {
    const endpoint = { url: service.url, headers: credentials.headers, timeoutMs: service.timeout_ms, ...(service.config.transport ? { transport: service.config.transport } : {}) };
    return callMcpTool(endpoint, tool.operation, args, ctx.signal);
  }
  if (!tool.http || !service.config.base_url) return { error: `Tool "${tool.name}" has no HTTP binding; re-register the service "${service.name}".` };
  try {
    const request = buildHttpRequest(service.config.base_url, tool.http, args, credentials, ctx.idempotencyKey);
    return await sendHttpRequest(request, { timeoutMs: service.timeout_ms, signal: ctx.signal, fetcher });
  } catch (err) {
    if (err instanceof RequestShapeError) return { error: `Cannot call "${tool.name}": ${err.message}.` };
    throw err;
  }
}
