import { describe, expect, it } from "vitest";
import { NO_CREDENTIALS, credentialNames } from "../../../src/tools/credentials";
import { operationsOf } from "../../../src/tools/openapi/operations";
import { openApiDocument } from "../../mocks/tool-spec";

const hiddenNothing = credentialNames(NO_CREDENTIALS);
const mock = (version: "3.0" | "3.1") => openApiDocument({ version, serverUrl: "http://127.0.0.1:1" });
const byName = (version: "3.0" | "3.1") => new Map(operationsOf(mock(version), hiddenNothing).map((op) => [op.operation, op]));

describe("operationsOf", () => {
  it("names operations by operationId, else x-tool-name, else <last path segment>_<method>", () => {
    expect(operationsOf(mock("3.1"), hiddenNothing).map((op) => op.operation)).toEqual([
      "listRecords",
      "getRecord",
      "createNote",
      "get_weather",
      "getBig",
      "slow_get",
      "failWithStatus",
    ]);
  });

  it("makes query and path parameters one object schema, path parameters required", () => {
    const ops = byName("3.1");
    expect(ops.get("listRecords")!.parameters).toEqual({
      type: "object",
      properties: {
        offset: { type: "integer", minimum: 0, default: 0 },
        limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
      },
      additionalProperties: false,
    });
    expect(ops.get("getRecord")!.parameters).toMatchObject({ properties: { id: { type: "integer", minimum: 1 } }, required: ["id"] });
    expect(ops.get("getRecord")!.http).toEqual({ method: "GET", path: "/records/{id}", params: [{ arg: "id", name: "id", in: "path" }] });
  });

  it("merges a JSON object body with header parameters, resolving its $ref", () => {
    const note = byName("3.1").get("createNote")!;
    expect(note.parameters).toEqual({
      type: "object",
      properties: {
        "X-Request-Id": { type: "string", description: "Echoed back as request_id" },
        title: { type: "string" },
        body: { type: "string" },
        tags: { type: "array", items: { type: "string" } },
      },
      required: ["title"],
      additionalProperties: true,
    });
    expect(note.http.body).toEqual({ mode: "merged", content_type: "application/json", encoding: "json" });
    expect(note.http.params).toEqual([{ arg: "X-Request-Id", name: "X-Request-Id", in: "header" }]);
  });

  it("keeps the documented success schema, with nested $refs resolved, for code-mode types", () => {
    const returns = byName("3.1").get("listRecords")!.returns as { properties: { items: { items: { properties: object } }; next_offset: unknown } };
    expect(returns.properties.items.items.properties).toHaveProperty("category");
    expect(returns.properties.next_offset).toEqual({ type: ["integer", "null"] });
  });

  it("reads a 3.0 document into the same tools, translating nullable", () => {
    const v30 = byName("3.0");
    const v31 = byName("3.1");
    expect([...v30.keys()]).toEqual([...v31.keys()]);
    for (const [name, op] of v30) expect(op.parameters).toEqual(v31.get(name)!.parameters);
    expect(v30.get("listRecords")!.returns).toEqual(v31.get("listRecords")!.returns);
  });

  it("leaves out parameters that credentials fill", () => {
    const doc = {
      openapi: "3.1.0",
      paths: {
        "/search": {
          get: {
            operationId: "search",
            parameters: [
              { name: "q", in: "query", required: true, schema: { type: "string" } },
              { name: "api_key", in: "query", required: true, schema: { type: "string" } },
              { name: "X-Api-Key", in: "header", required: true, schema: { type: "string" } },
            ],
          },
        },
      },
    };
    const hidden = credentialNames({ headers: { "x-api-key": "s" }, inject: { query: { api_key: "s" }, path: {}, body: {} } });
    const [search] = operationsOf(doc, hidden);
    expect(search!.parameters).toEqual({ type: "object", properties: { q: { type: "string" } }, required: ["q"], additionalProperties: false });
    expect(search!.http.params.map((p) => p.name)).toEqual(["q"]);
  });

  it("merges path-level parameters, lets the operation override them, and skips cookies", () => {
    const doc = {
      openapi: "3.1.0",
      components: { parameters: { Tenant: { name: "tenant", in: "path", required: true, schema: { type: "string" } } } },
      paths: {
        "/t/{tenant}/items": {
          parameters: [{ $ref: "#/components/parameters/Tenant" }, { name: "page", in: "query", schema: { type: "integer" } }],
          get: {
            parameters: [
              { name: "page", in: "query", description: "Page number", schema: { type: "integer", minimum: 1 } },
              { name: "session", in: "cookie", schema: { type: "string" } },
            ],
          },
        },
      },
    };
    const [op] = operationsOf(doc, hiddenNothing);
    expect(op!.operation).toBe("items_get");
    expect(op!.parameters).toEqual({
      type: "object",
      properties: { tenant: { type: "string" }, page: { type: "integer", minimum: 1, description: "Page number" } },
      required: ["tenant"],
      additionalProperties: false,
    });
  });

  it("passes a body that is not a plain object, or clashes with a parameter, as one `body` argument", () => {
    const doc = {
      openapi: "3.1.0",
      paths: {
        "/batch/{id}": {
          post: {
            operationId: "batch",
            parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
            requestBody: { required: true, content: { "application/json": { schema: { type: "array", items: { type: "integer" } } } } },
          },
          put: {
            operationId: "clash",
            parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
            requestBody: { content: { "application/json": { schema: { type: "object", properties: { id: { type: "string" } } } } } },
          },
        },
      },
    };
    const ops = operationsOf(doc, hiddenNothing);
    const batch = ops.find((op) => op.operation === "batch");
    const clash = ops.find((op) => op.operation === "clash");
    expect(batch!.parameters).toMatchObject({ properties: { body: { type: "array", items: { type: "integer" } } }, required: ["id", "body"] });
    expect(batch!.http.body).toEqual({ mode: "property", arg: "body", content_type: "application/json", encoding: "json" });
    expect(clash!.http.body?.mode).toBe("property");
    expect(clash!.parameters).toMatchObject({ required: ["id"] });
  });

  it("cuts recursive schemas into a finite one without dangling $refs", () => {
    const doc = {
      openapi: "3.1.0",
      components: { schemas: { Node: { type: "object", properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/components/schemas/Node" } } } } } },
      paths: { "/tree": { post: { operationId: "plant", requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } } } } } },
    };
    const [plant] = operationsOf(doc, hiddenNothing);
    expect(JSON.stringify(plant!.parameters)).not.toContain("$ref");
    expect(plant!.parameters).toMatchObject({ properties: { children: { type: "array", items: { description: "(recursive: the same shape as Node)" } } } });
  });

  it("refuses references to other documents, naming them", () => {
    const doc = { openapi: "3.1.0", paths: { "/x": { get: { parameters: [{ $ref: "other.yaml#/components/parameters/P" }] } } } };
    expect(() => operationsOf(doc, hiddenNothing)).toThrow(/other\.yaml#\/components\/parameters\/P/);
  });
});
