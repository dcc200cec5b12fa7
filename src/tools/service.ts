/**
 * A registered tool service as stored (D1 `tool_services`) and as the registry uses it: its
 * discovered tools, each with the offered name, the JSON Schema the model sees and how to
 * reach the operation. Credentials are kept apart, sealed, and only their names are here.
 */
import type { CredentialNames } from "./credentials";
import type { JsonSchema } from "../engine/json-schema";

export type ServiceType = "openapi" | "mcp";

export type McpTransport = "streamable-http" | "sse";

/** Where an OpenAPI parameter goes; `arg` is its argument name, `name` its name on the wire. */
export interface HttpParam {
  arg: string;
  name: string;
  in: "path" | "query" | "header";
}

export interface HttpBinding {
  method: string;
  /** The path template, e.g. `/records/{id}`. */
  path: string;
  params: HttpParam[];
  /**
   * The request body: `merged` takes every argument that is not a parameter, `property` takes
   * the argument named `arg`. `encoding` is how it is sent.
   */
  body?: { mode: "merged" | "property"; arg?: string; content_type: string; encoding: "json" | "form" | "raw" };
}

export interface ServiceTool {
  /** The offered name, `<service>__<operation>`, provider-safe (names.ts). */
  name: string;
  /** The operation's own name: operationId, x-tool-name, `<segment>_<method>`, or the MCP tool name. */
  operation: string;
  description?: string;
  /** One JSON Schema (type object) for all the arguments. */
  parameters: { [keyword: string]: unknown };
  /** The success result's schema when the service documents one (for code-mode types). */
  returns?: JsonSchema;
  requires_approval: boolean;
  /** OpenAPI only. */
  http?: HttpBinding;
}

export interface ServiceConfig {
  /** OpenAPI: where operations are called (the document's server, else the service URL). */
  base_url?: string;
  /** MCP: the transport that answered at registration. */
  transport?: McpTransport;
  tools: ServiceTool[];
  credentials: CredentialNames;
  /** As registered: every tool, or the listed operations, need a human's approval. */
  requires_approval: boolean | string[];
}

export interface StoredService {
  name: string;
  type: ServiceType;
  url: string;
  spec_url: string | null;
  timeout_ms: number;
  config: ServiceConfig;
  /** The credentials, sealed (db/secrets.ts); opened only at the moment of a call. */
  sealed_credentials: string | null;
  created_at: number;
  updated_at: number;
}

/** Why a service could not be registered or refreshed; the API answers 400 with the message. */
export class ToolServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolServiceError";
  }
}

export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;
