/**
 * Registration: what a service offers, found by asking it (its OpenAPI document, or the MCP
 * server's tool list), named for providers and marked for approval. Nothing is stored here;
 * the caller stores the result only when discovery succeeded, so a failure leaves the
 * registry as it was.
 */
import { credentialNames, type Credentials } from "./credentials";
import { listMcpTools } from "./mcp/client";
import { offeredNames } from "./names";
import { baseUrlOf, fetchDocument, specUrlFor } from "./openapi/document";
import { operationsOf } from "./openapi/operations";
import { ToolServiceError, type ServiceConfig, type ServiceTool, type ServiceType } from "./service";

export interface Registration {
  name: string;
  type: ServiceType;
  url: string;
  spec_url?: string;
  credentials: Credentials;
  timeout_ms: number;
  /** `true`: every tool; a list: these operations (by operation or offered name). */
  requires_approval: boolean | string[];
}

type Discovered = Omit<ServiceTool, "name" | "requires_approval">;

export async function discoverService(registration: Registration, fetcher?: typeof fetch): Promise<ServiceConfig> {
  const found = registration.type === "openapi" ? await discoverOpenApi(registration, fetcher) : await discoverMcp(registration);
  if (found.tools.length === 0) throw new ToolServiceError(`The service at ${registration.url} offers no operations.`);
  const names = offeredNames(registration.name, found.tools.map((t) => t.operation));
  const tools = found.tools.map((tool, i) => ({ ...tool, name: names[i]!, requires_approval: false }));
  return {
    ...found.extra,
    tools: markApproval(tools, registration.requires_approval),
    credentials: credentialNames(registration.credentials),
    requires_approval: registration.requires_approval,
  };
}

async function discoverOpenApi(registration: Registration, fetcher?: typeof fetch): Promise<{ tools: Discovered[]; extra: Partial<ServiceConfig> }> {
  const documentUrl = specUrlFor(registration.url, registration.spec_url);
  // Credentials go with the document request only to the service's own origin.
  const headers = new URL(documentUrl).origin === new URL(registration.url).origin ? registration.credentials.headers : {};
  const doc = await fetchDocument(documentUrl, { headers, timeoutMs: registration.timeout_ms, fetcher });
  const operations = operationsOf(doc, credentialNames(registration.credentials));
  return { tools: operations, extra: { base_url: baseUrlOf(doc, documentUrl, registration.url) } };
}

async function discoverMcp(registration: Registration): Promise<{ tools: Discovered[]; extra: Partial<ServiceConfig> }> {
  const { transport, tools } = await listMcpTools({ url: registration.url, headers: registration.credentials.headers, timeoutMs: registration.timeout_ms });
  return {
    tools: tools.map((tool) => {
      const { $schema: _, ...parameters } = tool.inputSchema;
      return {
        operation: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        parameters: { type: "object", ...parameters },
        ...(tool.outputSchema ? { returns: tool.outputSchema } : {}),
      };
    }),
    extra: { transport },
  };
}

function markApproval(tools: ServiceTool[], rule: boolean | string[]): ServiceTool[] {
  if (rule === false) return tools;
  if (rule === true) return tools.map((t) => ({ ...t, requires_approval: true }));
  const unknown = rule.filter((name) => !tools.some((t) => t.operation === name || t.name === name));
  if (unknown.length > 0) {
    throw new ToolServiceError(`requires_approval names ${unknown.map((n) => `"${n}"`).join(", ")}, which the service does not offer (it offers: ${tools.map((t) => t.operation).join(", ")}).`);
  }
  return tools.map((t) => ({ ...t, requires_approval: rule.includes(t.operation) || rule.includes(t.name) }));
}
