/**
 * MCP servers over HTTP with `@modelcontextprotocol/sdk`: Streamable HTTP, and the older
 * HTTP+SSE transport for servers that predate it. Each listing or call opens a session and
 * ends it (a run's steps may land on different isolates, so no session outlives a call).
 * Schemas are validated with our own validator: the SDK's default (ajv) compiles code, which
 * Workers forbid.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { McpTransport } from "../service";
import { ToolServiceError } from "../service";
import { mcpResultValue } from "./result";
import { mcpSchemaValidator } from "./schema-validator";

export interface McpEndpoint {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Known from registration; absent means try Streamable HTTP, then SSE. */
  transport?: McpTransport;
}

export interface McpToolInfo {
  name: string;
  description?: string;
  inputSchema: { [keyword: string]: unknown };
  outputSchema?: { [keyword: string]: unknown };
}

const CLIENT_INFO = { name: "switchyard", version: "0.1.0" };

/** Every tool the server lists (all pages), and the transport that worked. */
export async function listMcpTools(endpoint: McpEndpoint): Promise<{ transport: McpTransport; tools: McpToolInfo[] }> {
  return withSession(endpoint, undefined, async (client, transport) => {
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: endpoint.timeoutMs });
      for (const tool of page.tools) {
        tools.push({
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          inputSchema: tool.inputSchema as McpToolInfo["inputSchema"],
          ...(tool.outputSchema ? { outputSchema: tool.outputSchema as McpToolInfo["outputSchema"] } : {}),
        });
      }
      cursor = page.nextCursor;
    } while (cursor);
    return { transport, tools };
  });
}

/** Calls one tool; the result is plain data (see result.ts), failures are `{ error }`. */
export async function callMcpTool(endpoint: McpEndpoint, name: string, args: unknown, signal?: AbortSignal): Promise<unknown> {
  try {
    return await withSession(endpoint, signal, async (client) => {
      const result = await client.callTool({ name, arguments: (args ?? {}) as Record<string, unknown> }, undefined, { timeout: endpoint.timeoutMs, signal });
      return mcpResultValue(result);
    });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

async function withSession<T>(endpoint: McpEndpoint, signal: AbortSignal | undefined, use: (client: Client, transport: McpTransport) => Promise<T>): Promise<T> {
  const order: McpTransport[] = endpoint.transport ? [endpoint.transport] : ["streamable-http", "sse"];
  const failures: string[] = [];
  for (const kind of order) {
    const client = new Client(CLIENT_INFO, { jsonSchemaValidator: mcpSchemaValidator });
    const transport = transportFor(kind, endpoint);
    try {
      await client.connect(transport, { timeout: endpoint.timeoutMs, signal });
    } catch (err) {
      await client.close().catch(() => undefined);
      if (signal?.aborted) throw signal.reason;
      failures.push(`${kind}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    try {
      return await use(client, kind);
    } finally {
      await endSession(transport);
      await client.close().catch(() => undefined);
    }
  }
  throw new ToolServiceError(`Could not connect to the MCP server at ${endpoint.url} (${failures.join("; ")}).`);
}

function transportFor(kind: McpTransport, endpoint: McpEndpoint): Transport {
  const url = new URL(endpoint.url);
  const requestInit = { headers: endpoint.headers };
  return kind === "sse" ? new SSEClientTransport(url, { requestInit, eventSourceInit: { fetch: withHeaders(endpoint.headers) } }) : new StreamableHTTPClientTransport(url, { requestInit });
}

/** The SSE transport opens its stream with this fetch, so the stream carries the credentials too. */
function withHeaders(headers: Record<string, string>): typeof fetch {
  return (input, init) => {
    const merged = new Headers(init?.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    return fetch(input, { ...init, headers: merged });
  };
}

/** Tells a Streamable HTTP server the session is over, so it can free it. */
async function endSession(transport: Transport): Promise<void> {
  if (transport instanceof StreamableHTTPClientTransport) await transport.terminateSession().catch(() => undefined);
}
