/**
 * /openapi.json against the app that serves it: every route Hono serves (from `app.routes`) is
 * in the document, and every operation in the document is a route Hono serves. Runs in workerd,
 * where the whole app can be built; the document's validity is checked over HTTP in
 * test/e2e/openapi.test.ts.
 */
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app";
import { openapiPath } from "../../src/api/openapi/document";

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

async function documentOf(app: ReturnType<typeof createApp>): Promise<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }> {
  const res = await app.request("/openapi.json");
  expect(res.status).toBe(200);
  return res.json();
}

describe("/openapi.json", () => {
  it("lists every route the app serves, and only those", async () => {
    const app = createApp();
    // `ALL` entries are middleware and the OpenAI mounts' catch-all 404, not routes of their own.
    const served = new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${openapiPath(r.path)}`));
    const document = await documentOf(app);
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).filter((key) => METHODS.includes(key)).map((method) => `${method.toUpperCase()} ${path}`)),
    );
    expect([...served].filter((route) => !documented.has(route))).toEqual([]);
    expect([...documented].filter((route) => !served.has(route))).toEqual([]);
    expect(served).toContain("POST /runs");
    expect(served).toContain("POST /openai/{chain}/v1/chat/completions");
    expect(served).toContain("GET /openapi.json");
  });

  it("gives every operation a successful answer and the error answers its kind of route can give", async () => {
    const document = await documentOf(createApp());
    const run = document.paths["/runs/{id}"]!.get!;
    expect(Object.keys(run.responses).sort()).toEqual(["200", "401", "404"]);
    const created = document.paths["/runs"]!.post!;
    expect(Object.keys(created.responses).sort()).toEqual(["200", "202", "400", "401", "404", "413", "422"]);
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        expect(Object.keys(operation.responses).some((status) => status.startsWith("2")), `${method} ${path}`).toBe(true);
      }
    }
  });
});
