import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_CREDENTIALS } from "../../src/tools/credentials";
import { discoverService, type Registration } from "../../src/tools/discover";
import { startToolService, type ToolService } from "../mocks/tool-service";
import { startEverythingServer, type EverythingServer } from "./mcp/everything-server";

let service: ToolService;
let mcp: EverythingServer;

beforeAll(async () => {
  [service, mcp] = await Promise.all([startToolService({ records: 20, requireHeader: { name: "X-Api-Key", value: "k-123456" } }), startEverythingServer()]);
}, 30_000);

afterAll(async () => {
  await Promise.all([service?.close(), mcp?.close()]);
});

const openapi = (extra: Partial<Registration> = {}): Registration => ({
  name: "mock",
  type: "openapi",
  url: service.url,
  credentials: NO_CREDENTIALS,
  timeout_ms: 5000,
  requires_approval: false,
  ...extra,
});

describe("discoverService (OpenAPI)", () => {
  it("finds every operation at <url>/openapi.json, named for providers, with the server as base URL", async () => {
    const config = await discoverService(openapi());
    expect(config.base_url).toBe(service.url);
    expect(config.tools.map((t) => [t.name, t.operation])).toEqual([
      ["mock__listRecords", "listRecords"],
      ["mock__getRecord", "getRecord"],
      ["mock__createNote", "createNote"],
      ["mock__get_weather", "get_weather"],
      ["mock__getBig", "getBig"],
      ["mock__slow_get", "slow_get"],
      ["mock__failWithStatus", "failWithStatus"],
    ]);
    expect(config.tools.every((t) => !t.requires_approval)).toBe(true);
  });

  it("reads the YAML and the 3.0 documents through spec_url into the same tools", async () => {
    const json = await discoverService(openapi());
    const yaml = await discoverService(openapi({ spec_url: `${service.url}/openapi.yaml` }));
    const v30 = await discoverService(openapi({ spec_url: `${service.url}/v3.0/openapi.json` }));
    expect(yaml.tools).toEqual(json.tools);
    expect(v30.tools.map((t) => t.parameters)).toEqual(json.tools.map((t) => t.parameters));
  });

  it("marks the whole service, or single operations, as needing approval", async () => {
    expect((await discoverService(openapi({ requires_approval: true }))).tools.every((t) => t.requires_approval)).toBe(true);
    const some = await discoverService(openapi({ requires_approval: ["createNote", "mock__getBig"] }));
    expect(some.tools.filter((t) => t.requires_approval).map((t) => t.operation)).toEqual(["createNote", "getBig"]);
    await expect(discoverService(openapi({ requires_approval: ["deleteEverything"] }))).rejects.toThrow(/"deleteEverything", which the service does not offer/);
  });

  it("hides parameters credentials fill and records only their names", async () => {
    const credentials = { headers: { "X-Request-Id": "r-secret-1" }, inject: { query: {}, path: {}, body: { title: "t-secret-2" } } };
    const config = await discoverService(openapi({ credentials }));
    const note = config.tools.find((t) => t.operation === "createNote")!;
    expect(Object.keys(note.parameters.properties as object)).toEqual(["body", "tags"]);
    expect(config.credentials).toEqual({ headers: ["X-Request-Id"], inject: { query: [], path: [], body: ["title"] } });
    expect(JSON.stringify(config)).not.toMatch(/secret/);
  });

  it("fails with the reason when the document cannot be fetched or read", async () => {
    await expect(discoverService(openapi({ spec_url: `${service.url}/missing.json` }))).rejects.toThrow(`Could not fetch the OpenAPI document at ${service.url}/missing.json: HTTP 401 Unauthorized`);
    await expect(discoverService(openapi({ url: "http://127.0.0.1:1" }))).rejects.toThrow(/Could not fetch the OpenAPI document at http:\/\/127\.0\.0\.1:1\/openapi\.json/);
  });
});

describe("discoverService (MCP)", () => {
  it("lists the server's tools as <service>__<tool> with their input and output schemas", async () => {
    const config = await discoverService({ name: "everything", type: "mcp", url: mcp.url, credentials: NO_CREDENTIALS, timeout_ms: 10_000, requires_approval: ["echo"] });
    expect(config.transport).toBe("streamable-http");
    const echo = config.tools.find((t) => t.operation === "echo")!;
    expect(echo).toMatchObject({ name: "everything__echo", requires_approval: true, parameters: { type: "object", required: ["message"] } });
    expect(echo.parameters).not.toHaveProperty("$schema");
    expect(config.tools.find((t) => t.operation === "get-sum")).toMatchObject({ name: "everything__get-sum", requires_approval: false });
  });
});
