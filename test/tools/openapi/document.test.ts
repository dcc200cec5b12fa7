import { stringify as toYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrlOf, fetchDocument, parseDocument, specUrlFor } from "../../../src/tools/openapi/document";
import { ToolServiceError } from "../../../src/tools/service";
import { startToolService, type ToolService } from "../../mocks/tool-service";

let service: ToolService;
beforeAll(async () => {
  service = await startToolService({ records: 20 });
});
afterAll(async () => {
  await service.close();
});

describe("parseDocument", () => {
  const doc = { openapi: "3.1.0", info: { title: "t", version: "1" }, paths: {} };

  it("reads JSON and YAML alike", () => {
    expect(parseDocument(JSON.stringify(doc), "x")).toEqual(doc);
    expect(parseDocument(toYaml(doc), "x")).toEqual(doc);
  });

  it("refuses Swagger 2, other versions, non-objects and missing paths with the reason", () => {
    expect(() => parseDocument(JSON.stringify({ swagger: "2.0", paths: {} }), "s.json")).toThrow(/Swagger 2\.0.*only OpenAPI 3\.0 and 3\.1/);
    expect(() => parseDocument(JSON.stringify({ ...doc, openapi: "4.0.0" }), "s.json")).toThrow(/not an OpenAPI 3\.0 or 3\.1 document \(openapi: "4\.0\.0"\)/);
    expect(() => parseDocument("[1, 2]", "s.json")).toThrow(ToolServiceError);
    expect(() => parseDocument(JSON.stringify({ openapi: "3.0.3" }), "s.json")).toThrow(/no "paths"/);
    expect(() => parseDocument("key: [unclosed", "s.yaml")).toThrow(/neither JSON nor YAML/);
  });
});

describe("fetchDocument", () => {
  it("fetches the 3.1 JSON, the YAML and the 3.0 variant over HTTP", async () => {
    const json = await fetchDocument(`${service.url}/openapi.json`, { headers: {}, timeoutMs: 5000 });
    const yaml = await fetchDocument(`${service.url}/openapi.yaml`, { headers: {}, timeoutMs: 5000 });
    const v30 = await fetchDocument(`${service.url}/v3.0/openapi.json`, { headers: {}, timeoutMs: 5000 });
    expect(json.openapi).toBe("3.1.0");
    expect(yaml).toEqual(json);
    expect(v30.openapi).toBe("3.0.3");
  });

  it("says which URL failed and how", async () => {
    await expect(fetchDocument(`${service.url}/nope.json`, { headers: {}, timeoutMs: 5000 })).rejects.toThrow(`Could not fetch the OpenAPI document at ${service.url}/nope.json: HTTP 404`);
    await expect(fetchDocument("http://127.0.0.1:1/openapi.json", { headers: {}, timeoutMs: 5000 })).rejects.toThrow(/Could not fetch the OpenAPI document at http:\/\/127\.0\.0\.1:1\/openapi\.json: /);
  });
});

describe("where operations are called", () => {
  it("discovers the document at <url>/openapi.json unless spec_url says otherwise", () => {
    expect(specUrlFor("http://h/api/", undefined)).toBe("http://h/api/openapi.json");
    expect(specUrlFor("http://h/api", "http://h/spec.yaml")).toBe("http://h/spec.yaml");
  });

  it("uses the first server, resolving a relative one against the document and filling variables", () => {
    expect(baseUrlOf({ servers: [{ url: "https://api.example.com/v1/" }] }, "http://h/openapi.json", "http://h")).toBe("https://api.example.com/v1");
    expect(baseUrlOf({ servers: [{ url: "/v2" }] }, "http://h/docs/openapi.json", "http://h")).toBe("http://h/v2");
    expect(baseUrlOf({ servers: [{ url: "https://{region}.example.com", variables: { region: { default: "eu" } } }] }, "http://h/o.json", "http://h")).toBe("https://eu.example.com");
    expect(baseUrlOf({}, "http://h/o.json", "http://h/base/")).toBe("http://h/base");
  });
});
