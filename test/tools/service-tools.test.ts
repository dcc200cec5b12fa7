import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_CREDENTIALS, type Credentials } from "../../src/tools/credentials";
import { discoverService } from "../../src/tools/discover";
import { registeredTools } from "../../src/tools/service-tools";
import type { ToolEntry } from "../../src/tools/types";
import type { StoredService } from "../../src/tools/service";
import { startToolService, type ToolService } from "../mocks/tool-service";
import { startEverythingServer, type EverythingServer } from "./mcp/everything-server";

const HEADER_SECRET = "hdr-9f8e7d6c";
const QUERY_SECRET = "qry-1a2b3c4d";

let service: ToolService;
let mcp: EverythingServer;
let entries: Map<string, ToolEntry>;

const ctx = { runId: "run-1", taskId: "t", idempotencyKey: "run-1:2:call_9" };

async function stored(name: string, type: "openapi" | "mcp", url: string, credentials: Credentials): Promise<StoredService> {
  const config = await discoverService({ name, type, url, credentials, timeout_ms: 10_000, requires_approval: false });
  return { name, type, url, spec_url: null, timeout_ms: 10_000, config, sealed_credentials: name, created_at: 0, updated_at: 0 };
}

beforeAll(async () => {
  [service, mcp] = await Promise.all([
    startToolService({ records: 30, requireHeader: { name: "X-Api-Key", value: HEADER_SECRET }, requireQuery: { name: "token", value: QUERY_SECRET } }),
    startEverythingServer(),
  ]);
  const credentials: Record<string, Credentials> = {
    mock: { headers: { "X-Api-Key": HEADER_SECRET }, inject: { query: { token: QUERY_SECRET }, path: {}, body: {} } },
    everything: NO_CREDENTIALS,
  };
  const services = [await stored("mock", "openapi", service.url, credentials.mock!), await stored("everything", "mcp", mcp.url, NO_CREDENTIALS)];
  const source = registeredTools({ services: async () => services, openCredentials: async (sealed) => credentials[sealed!]! });
  entries = new Map((await source.entries()).map((e) => [e.spec.name, e]));
}, 30_000);

afterAll(async () => {
  await Promise.all([service?.close(), mcp?.close()]);
});

describe("registered tools", () => {
  it("call OpenAPI operations with the credentials added at the edge of the call", async () => {
    const page = (await entries.get("mock__listRecords")!.call({ offset: 0, limit: 5 }, ctx)) as { items: unknown[]; total: number };
    expect(page.items).toHaveLength(5);
    expect(page.total).toBe(30);
    const call = service.calls.at(-1)!;
    expect(call).toMatchObject({ method: "GET", path: "/records", query: { offset: "0", limit: "5", token: QUERY_SECRET } });
    expect(call.headers["x-api-key"]).toBe(HEADER_SECRET);
    expect(call.headers["idempotency-key"]).toBe("run-1:2:call_9");
  });

  it("never show the credentials to the model: not in schemas, and scrubbed from echoed results", async () => {
    const note = entries.get("mock__createNote")!;
    expect(JSON.stringify(note.spec)).not.toContain("token");
    const echoed = await note.call({ title: `my key is ${HEADER_SECRET}`, "X-Request-Id": QUERY_SECRET }, ctx);
    expect(service.calls.at(-1)!.body).toMatchObject({ title: `my key is ${HEADER_SECRET}` });
    expect(JSON.stringify(echoed)).not.toContain(HEADER_SECRET);
    expect(JSON.stringify(echoed)).not.toContain(QUERY_SECRET);
    expect(echoed).toMatchObject({ title: "my key is [redacted]", request_id: "[redacted]" });
  });

  it("report HTTP errors and unreachable services as { error } values", async () => {
    expect(await entries.get("mock__failWithStatus")!.call({ status: 503 }, ctx)).toMatchObject({ error: "HTTP 503 Service Unavailable: mock: failing with status 503 as asked", status: 503 });
    expect(await entries.get("mock__getRecord")!.call({ id: 999 }, ctx)).toMatchObject({ error: "HTTP 404 Not Found: no record with id 999" });
  });

  it("call MCP tools through the same interface", async () => {
    expect(await entries.get("everything__get-sum")!.call({ a: 1, b: 2 }, ctx)).toBe("The sum of 1 and 2 is 3.");
  });
});
