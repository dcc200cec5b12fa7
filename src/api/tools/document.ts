/**
 * The tool service document the API accepts, and the view it answers with. Credentials
 * (`headers`, `inject`) are write-only: a view shows their names, never their values.
 */
import { z } from "zod";
import { RESERVED_SERVICE_NAMES } from "../../tools/builtins/reserved";
import { isServiceName, MAX_SERVICE_NAME } from "../../tools/names";
import type { StoredService } from "../../tools/service";

const httpUrl = (what: string) => z.url({ protocol: /^https?$/, error: `${what} must be an http(s) URL` });
const values = z.record(z.string().min(1, "a name must not be empty"), z.string({ error: "credential values must be strings" }));

export const toolServiceBody = z
  .object({
    name: z
      .string()
      .refine(isServiceName, `a service name is 1-${MAX_SERVICE_NAME} letters, digits, '-' or single '_', starting with a letter and not ending in '_'`)
      .refine((name) => !RESERVED_SERVICE_NAMES.has(name), "that name belongs to a built-in tool"),
    type: z.enum(["openapi", "mcp"], { error: 'type must be "openapi" or "mcp"' }),
    url: httpUrl("url"),
    spec_url: httpUrl("spec_url").optional(),
    headers: values.optional(),
    inject: z.object({ query: values, path: values, body: values }).partial().strict().optional(),
    timeout_ms: z.int().min(100).max(300_000).optional(),
    requires_approval: z.union([z.boolean(), z.array(z.string().min(1))]).optional(),
  })
  .strict()
  .check((ctx) => {
    const { type, spec_url, inject } = ctx.value;
    if (type !== "mcp") return;
    if (spec_url !== undefined) ctx.issues.push({ code: "custom", input: spec_url, path: ["spec_url"], message: "spec_url is for OpenAPI services; an MCP server lists its own tools" });
    if (inject !== undefined) ctx.issues.push({ code: "custom", input: inject, path: ["inject"], message: "inject is for OpenAPI services; give an MCP server its credentials in headers" });
  });

export type ToolServiceDocument = z.infer<typeof toolServiceBody>;

const credentialNames = z.array(z.string());

export const serviceViewSchema = z
  .object({
    name: z.string(),
    type: z.enum(["openapi", "mcp"]),
    url: z.string(),
    spec_url: z.string().nullable(),
    timeout_ms: z.number(),
    requires_approval: z.union([z.boolean(), z.array(z.string())]),
    credentials: z.object({ headers: credentialNames, inject: z.object({ query: credentialNames, path: credentialNames, body: credentialNames }) }).meta({ description: "Names only; values are write-only" }),
    tools: z.array(
      z.object({
        name: z.string().meta({ description: "The name a chain grants and a model calls: `<service>__<operation>`" }),
        operation: z.string(),
        description: z.string().nullable(),
        parameters: z.record(z.string(), z.unknown()).meta({ description: "JSON Schema of the arguments" }),
        requires_approval: z.boolean(),
        method: z.string().optional(),
        path: z.string().optional(),
      }),
    ),
    created_at: z.number(),
    updated_at: z.number(),
  })
  .meta({ id: "ToolService" }) satisfies z.ZodType<ReturnType<typeof serviceView>>;

export function serviceView(service: StoredService) {
  const { config } = service;
  return {
    name: service.name,
    type: service.type,
    url: service.url,
    spec_url: service.spec_url,
    timeout_ms: service.timeout_ms,
    requires_approval: config.requires_approval,
    credentials: config.credentials,
    tools: config.tools.map((tool) => ({
      name: tool.name,
      operation: tool.operation,
      description: tool.description ?? null,
      parameters: tool.parameters,
      requires_approval: tool.requires_approval,
      ...(tool.http ? { method: tool.http.method, path: tool.http.path } : {}),
    })),
    created_at: service.created_at,
    updated_at: service.updated_at,
  };
}
