import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startToolService, type ToolService } from "./tool-service";

type Operation = {
  operationId?: string;
  "x-tool-name"?: string;
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
};
type Document = {
  openapi: string;
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes?: Record<string, unknown> };
  security?: unknown;
};

let open: ToolService;
let guarded: ToolService;

beforeAll(async () => {
  open = await startToolService();
  guarded = await startToolService({
    records: 20,
    requireHeader: { name: "X-Api-Key", value: "header-secret" },
    requireQuery: { name: "token", value: "query-secret" },
  });
});

afterAll(async () => {
  await Promise.all([open.close(), guarded.close()]);
});

type RecordItem = { id: number; category: string; score: number };
type RecordPage = { items: RecordItem[]; next_offset: number | null };
type ErrorBody = { error: { message: string } };

async function getJson<T = unknown>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as T };
}

function refsIn(value: unknown): string[] {
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "$ref" && typeof inner === "string" ? [inner] : refsIn(inner),
  );
}

describe("mock tool service spec", () => {
  it("publishes the same OpenAPI 3.1 document as JSON and as YAML", async () => {
    const json = (await getJson<Document>(`${open.url}/openapi.json`)).body;
    const yaml = parseYaml(await (await fetch(`${open.url}/openapi.yaml`)).text()) as Document;

    expect(json.openapi).toBe("3.1.0");
    expect(json.servers[0]?.url).toBe(open.url);
    expect(yaml).toEqual(json);
  });

  it("documents operation ids, an x-tool-name, an unnamed operation, every parameter kind and $refs", async () => {
    const doc = (await getJson<Document>(`${open.url}/openapi.json`)).body;
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    const parameterKinds = new Set(operations.flatMap((op) => (op.parameters ?? []).map((parameter) => parameter.in)));
    const refs = refsIn(doc);

    expect(operations.map((op) => op.operationId).filter(Boolean)).toEqual(
      expect.arrayContaining(["listRecords", "getRecord", "createNote", "getBig", "failWithStatus"]),
    );
    expect(doc.paths["/weather"]?.get).toMatchObject({ "x-tool-name": "get_weather" });
    expect(doc.paths["/weather"]?.get?.operationId).toBeUndefined();
    expect(operations.filter((op) => op.operationId === undefined && op["x-tool-name"] === undefined)).toHaveLength(1);
    expect([...parameterKinds].sort()).toEqual(["header", "path", "query"]);
    expect(doc.paths["/notes"]?.post?.requestBody).toBeDefined();
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(doc.components.schemas[ref.replace("#/components/schemas/", "")]).toBeDefined();
    expect(doc.security).toBeUndefined();
  });

  it("publishes an OpenAPI 3.0 variant with the same operations", async () => {
    const v31 = (await getJson<Document>(`${open.url}/openapi.json`)).body;
    const v30 = (await getJson<Document>(`${open.url}/v3.0/openapi.json`)).body;

    expect(v30.openapi).toBe("3.0.3");
    expect(Object.keys(v30.paths)).toEqual(Object.keys(v31.paths));
    expect(v30.components.schemas.RecordPage?.properties).toMatchObject({
      next_offset: { type: "integer", nullable: true },
    });
    expect(v31.components.schemas.RecordPage?.properties).toMatchObject({
      next_offset: { type: ["integer", "null"] },
    });
  });

  it("declares the credentials a guarded service requires", async () => {
    const doc = (await getJson<Document>(`${guarded.url}/openapi.json`)).body;

    expect(doc.components.securitySchemes).toEqual({
      apiKeyHeader: { type: "apiKey", in: "header", name: "X-Api-Key" },
      apiKeyQuery: { type: "apiKey", in: "query", name: "token" },
    });
    expect(doc.security).toEqual([{ apiKeyHeader: [], apiKeyQuery: [] }]);
  });
});

describe("mock tool service operations", () => {
  it("answers each documented operation", async () => {
    const record = await getJson(`${open.url}/records/42`);
    const missing = await getJson(`${open.url}/records/10001`);
    const note = await getJson(`${open.url}/notes`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "req-7" },
      body: JSON.stringify({ title: "hello", tags: ["a"] }),
    });
    const badNote = await getJson(`${open.url}/notes`, { method: "POST", body: "not json" });
    const paris = await getJson(`${open.url}/weather?city=Paris`);
    const parisAgain = await getJson(`${open.url}/weather?city=Paris`);
    const big = await fetch(`${open.url}/big`);
    const slow = await getJson(`${open.url}/slow?ms=5`);
    const failed = await getJson(`${open.url}/fail?status=503`);

    expect(record).toMatchObject({
      status: 200,
      body: { id: 42, name: expect.any(String), score: expect.any(Number) },
    });
    expect(missing.status).toBe(404);
    expect(note).toEqual({ status: 201, body: { id: "note-1", title: "hello", tags: ["a"], request_id: "req-7" } });
    expect(badNote.status).toBe(400);
    expect(paris.status).toBe(200);
    expect(paris.body).toEqual(parisAgain.body);
    expect((await big.arrayBuffer()).byteLength).toBe(2 * 1024 * 1024);
    expect(slow.body).toEqual({ waited_ms: 5 });
    expect(failed.status).toBe(503);
  });

  it("rejects operations missing a required credential, and records every call", async () => {
    const earlier = guarded.calls.length;
    const withKey = { headers: { "X-Api-Key": "header-secret" } };
    const noCredential = await fetch(`${guarded.url}/records/1`);
    const headerOnly = await fetch(`${guarded.url}/records/1`, withKey);
    const both = await fetch(`${guarded.url}/records/1?token=query-secret`, withKey);
    const spec = await fetch(`${guarded.url}/openapi.json`);

    expect([noCredential.status, headerOnly.status, both.status, spec.status]).toEqual([401, 401, 200, 200]);
    const seen = guarded.calls
      .slice(earlier)
      .map((call) => [call.method, call.path, call.query.token, call.headers["x-api-key"]]);
    expect(seen).toEqual([
      ["GET", "/records/1", undefined, undefined],
      ["GET", "/records/1", undefined, "header-secret"],
      ["GET", "/records/1", "query-secret", "header-secret"],
      ["GET", "/openapi.json", undefined, undefined],
    ]);
  });

  it("holds exactly three gold records above 95, found by paging", async () => {
    const seen: RecordItem[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const page: RecordPage = (await getJson<RecordPage>(`${open.url}/records?offset=${offset}&limit=1000`)).body;
      seen.push(...page.items);
      offset = page.next_offset;
    }

    const matches = seen.filter((record) => record.category === "gold" && record.score > 95);
    expect(seen).toHaveLength(10_000);
    expect(new Set(seen.map((record) => record.id)).size).toBe(10_000);
    expect(matches).toHaveLength(3);
  });

  it("rejects a page size beyond the documented maximum", async () => {
    const response = await getJson<ErrorBody>(`${open.url}/records?limit=5000`);

    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain("limit");
  });
});
