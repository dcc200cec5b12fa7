/**
 * The API's description over HTTP: /openapi.json needs no key and is a valid OpenAPI 3.1
 * document (checked by @readme/openapi-parser), real answers match the schemas it gives for
 * them, and /docs renders it with the Swagger UI the Worker serves itself.
 */
import { validate } from "@readme/openapi-parser";
import Ajv2020 from "ajv/dist/2020";
import { beforeAll, describe, expect, it } from "vitest";
import { startShopService } from "../mocks/shop-service";
import { api, eventually, llm, registerEchoChain, unique, waitForRun } from "./client";
import { ROLE_KEYS } from "./global-setup";

type Document = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, unknown> } };

let document: Document;

beforeAll(async () => {
  const res = await fetch(`${api().baseUrl}/openapi.json`);
  expect(res.status).toBe(200);
  document = await res.json();
});

/** Checks `body` against the schema the document gives for one answer of one operation. */
function expectDocumented(method: string, path: string, status: number, body: unknown): void {
  const schema = document.paths[path]?.[method]?.responses?.[String(status)]?.content?.["application/json"]?.schema;
  expect(schema, `${method} ${path} ${status} has a schema`).toBeDefined();
  const ajv = new Ajv2020({ strict: false });
  ajv.addSchema({ $id: "doc", components: document.components });
  const check = ajv.compile({ ...JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) });
  expect(check(body) ? [] : check.errors, `${method} ${path} ${status}`).toEqual([]);
}

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document, served without a key", async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(document).toMatchObject({ openapi: "3.1.0", info: { title: "Switchyard" }, security: [{ bearer: [] }] });
  });

  it("describes requests by the schemas that check them, errors by the error shape, and the bearer scheme", () => {
    const start = document.paths["/runs"]!.post;
    const body = start.requestBody.content["application/json"].schema;
    expect(Object.keys(body.properties)).toEqual(["chain_id", "chain", "input", "vars"]);
    expect(body.additionalProperties).toBe(false);
    expect(start.parameters.map((p: { name: string; in: string }) => `${p.in} ${p.name}`)).toEqual(["query wait", "query timeout_ms", "header idempotency-key"]);
    expect(start.responses["400"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });
    expect(document.components.schemas.Error).toMatchObject({ properties: { error: { required: ["type", "message"] } } });
    expect(document.paths["/v1/chat/completions"]!.post.responses["401"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/OpenAIError" });
    expect(document.paths["/health"]!.get.security).toEqual([]);
    expect((document as any).components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("matches what the API really answers", async () => {
    const client = api();
    const chainId = unique("documented");
    await registerEchoChain(client, chainId);
    const chain = await client.get(`/chains/${chainId}`);
    expectDocumented("get", "/chains/{id}", 200, chain.body);
    const started = await client.post("/runs", { chain_id: chainId, input: "hi" });
    expectDocumented("post", "/runs", 202, started.body);
    const run = await waitForRun(client, started.body.id, (r) => r.status === "succeeded");
    expectDocumented("get", "/runs/{id}", 200, run);
    expectDocumented("get", "/runs/{id}/steps", 200, (await client.get(`/runs/${run.id}/steps`)).body);
    expectDocumented("get", "/runs", 200, (await client.get(`/runs?chain_id=${chainId}`)).body);
    const invalid = await client.post("/runs", { chain_id: chainId, vars: { n: 1 } });
    expectDocumented("post", "/runs", 400, invalid.body);
    const completion = await client.post("/v1/chat/completions", { model: chainId, messages: [{ role: "user", content: "hi" }] });
    expectDocumented("post", "/v1/chat/completions", 200, completion.body);
    expectDocumented("get", "/v1/models", 200, (await client.get("/v1/models")).body);
  });

  it("matches the answers of LLM step records, forks, replays, versions, providers, groups and embeddings", async () => {
    const client = api();
    const model = unique("documented-llm");
    await llm().script(model, [{ content: "one" }, { content: "two" }, { content: "TWO" }]);
    const turn = (n: number, goto: string) => ({ id: `turn${n}`, handler: "prompt_to_string", prompt_template: `Turn ${n}: {{.input}}`, execute_config: { model }, transition: { branches: [{ operator: "default", when: "", goto }] } });
    const chain = { id: unique("documented-turns"), tasks: [turn(0, "turn1"), turn(1, "end")] };
    expect((await client.post("/chains", chain)).status).toBe(201);
    const run = (await client.post("/runs?wait=true", { chain_id: chain.id, input: "hi" })).body;
    expect(run.status).toBe("succeeded");
    expectDocumented("post", "/runs", 200, run);
    const steps = (await client.get(`/runs/${run.id}/steps`)).body;
    expect(steps.data[0]).toMatchObject({ llm_calls: [{ model }], routing: { served_by: { provider: "default", model } } });
    expectDocumented("get", "/runs/{id}/steps", 200, steps);
    expectDocumented("get", "/runs/{id}/chain", 200, (await client.get(`/runs/${run.id}/chain`)).body);

    const forked = await client.post(`/runs/${run.id}/fork`, { from_step: 1 });
    expect(forked.status).toBe(201);
    expectDocumented("post", "/runs/{id}/fork", 201, forked.body);
    const fork = await waitForRun(client, forked.body.id, (r) => r.status === "succeeded");
    expectDocumented("get", "/runs/{id}", 200, fork);
    const forkSteps = (await client.get(`/runs/${fork.id}/steps`)).body;
    expect(forkSteps.data[0].copied_from).toEqual({ run_id: run.id, step: 0 });
    expectDocumented("get", "/runs/{id}/steps", 200, forkSteps);
    const forks = await eventually(async () => (await client.get(`/runs?forked_from=${run.id}`)).body, (page) => page.data.length === 1, "the fork listed");
    expectDocumented("get", "/runs", 200, forks);

    const replay = await client.post(`/runs/${run.id}/replay`, {});
    expect(replay.body).toMatchObject({ replayable: true, diverged: false });
    expectDocumented("post", "/runs/{id}/replay", 200, replay.body);
    const draft = { ...chain, tasks: [turn(0, "end"), turn(1, "end")] };
    const regression = await client.post(`/chains/${chain.id}/replay`, { runs: [run.id], chain: draft });
    expect(regression.body).toMatchObject({ runs: 1, diverged: 1, results: [{ first_divergence: { step: 0, reason: "transition" } }] });
    expectDocumented("post", "/chains/{id}/replay", 200, regression.body);
    expectDocumented("put", "/chains/{id}", 200, (await client.put(`/chains/${chain.id}`, draft)).body);
    expectDocumented("get", "/chains/{id}/versions", 200, (await client.get(`/chains/${chain.id}/versions`)).body);

    expectDocumented("get", "/providers", 200, (await client.get("/providers")).body);
    expectDocumented("get", "/providers/{name}", 200, (await client.get("/providers/default")).body);
    const unreachable = await client.post("/providers", { name: unique("documented-provider"), base_url: "http://127.0.0.1:9/v1" });
    expect(unreachable.body.sync).toMatchObject({ ok: false });
    expectDocumented("post", "/providers", 201, unreachable.body);
    const sync = await client.post(`/providers/${unreachable.body.name}/sync`);
    expectDocumented("post", "/providers/{name}/sync", sync.status, sync.body);
    expect((await client.delete(`/providers/${unreachable.body.name}`)).status).toBe(204);

    const group = await client.post("/groups", { name: unique("documented-group"), members: [{ provider: "default", model }] });
    expectDocumented("post", "/groups", 201, group.body);
    expectDocumented("get", "/groups", 200, (await client.get("/groups")).body);
    expect((await client.delete(`/groups/${group.body.name}`)).status).toBe(204);

    for (const encoding_format of ["float", "base64"]) {
      expectDocumented("post", "/v1/embeddings", 200, (await client.post("/v1/embeddings", { model: unique("documented-embedder"), input: ["a", "b"], encoding_format })).body);
    }
  });
});

describe("the answers of domain contracts", () => {
  it("match for the contract registry, a governed run as a role, its steps' decisions, a trigger's role and a governed function", async () => {
    const client = api();
    const agent = api(undefined, ROLE_KEYS.agent);
    const contract = { id: unique("documented-contract"), entities: {}, rules: [{ id: "never", tools: ["shop__delete_customer"], condition: "false", message: "Never." }] };
    expectDocumented("post", "/contracts/validate", 200, (await client.post("/contracts/validate", contract)).body);
    const broken = await client.post("/contracts/validate", { ...contract, rules: [{ ...contract.rules[0], condition: "args.x +" }] });
    expectDocumented("post", "/contracts/validate", 400, broken.body);
    expectDocumented("post", "/contracts", 403, (await agent.post("/contracts", contract)).body);
    expectDocumented("post", "/contracts", 201, (await client.post("/contracts", contract)).body);
    expectDocumented("put", "/contracts/{id}", 200, (await client.put(`/contracts/${contract.id}`, { ...contract, description: "v2" })).body);
    expectDocumented("get", "/contracts/{id}", 200, (await client.get("/contracts/orders")).body);
    expectDocumented("get", "/contracts", 200, (await client.get("/contracts")).body);
    expectDocumented("delete", "/contracts/{id}", 200, (await client.delete(`/contracts/${contract.id}`)).body);

    const shop = await startShopService();
    try {
      expect((await client.post("/tools", { name: "shop", type: "openapi", url: shop.url })).status).toBe(201);
      const model = unique("documented-governed");
      await llm().script(model, [{ content: '```js\nreturn { answer: JSON.stringify(await tools.shop.delete_customer({ customer_id: "c-1" })) };\n```' }]);
      const run = (await agent.post("/runs?wait=true", { chain_id: "governed-code-mode", input: "Delete c-1.", vars: { model } })).body;
      expect(run).toMatchObject({ status: "succeeded", principal: "agent", contracts: { orders: 0 } });
      expectDocumented("post", "/runs", 200, run);
      expectDocumented("get", "/runs/{id}", 200, (await client.get(`/runs/${run.id}`)).body);
      const steps = (await client.get(`/runs/${run.id}/steps`)).body;
      expect(steps.data.flatMap((s: { contract_decisions?: unknown[] }) => s.contract_decisions ?? [])).toEqual([expect.objectContaining({ allowed: false, rule: "never-delete-customers", role: "agent" })]);
      expectDocumented("get", "/runs/{id}/steps", 200, steps);
      const listed = await eventually(async () => (await client.get("/runs?chain_id=governed-code-mode&limit=100")).body, (page) => page.data.some((r: { id: string }) => r.id === run.id), "the run listed");
      expect(listed.data.find((r: { id: string }) => r.id === run.id).principal).toBe("agent");
      expectDocumented("get", "/runs", 200, listed);

      const fn = await client.post("/functions", { name: unique("documented-governed-fn"), code: "export default async () => null;", tools: ["shop"], contract: "orders" });
      expectDocumented("post", "/functions", 201, fn.body);
      expectDocumented("get", "/functions/{name}", 200, (await client.get(`/functions/${fn.body.name}`)).body);
      const trigger = await client.post("/triggers", { name: unique("documented-role"), type: "event", event_type: unique("documented.type"), function: fn.body.name, role: "agent" });
      expect(trigger.body.role).toBe("agent");
      expectDocumented("post", "/triggers", 201, trigger.body);
      expectDocumented("post", "/triggers", 403, (await agent.post("/triggers", { name: unique("documented-role"), type: "event", event_type: "x", function: fn.body.name, role: "manager" })).body);
      expect((await client.delete(`/triggers/${trigger.body.id}`)).status).toBeLessThan(300);
      expect((await client.delete(`/functions/${fn.body.name}`)).status).toBeLessThan(300);
    } finally {
      await client.delete("/tools/shop");
      await shop.close();
    }
  });
});

describe("GET /docs", () => {
  it("serves Swagger UI, from the Worker itself, pointed at /openapi.json", async () => {
    const base = api().baseUrl;
    const page = await fetch(`${base}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain('src="docs/swagger-ui.js"');
    expect(html).toContain('url: "openapi.json"');
    expect(html).not.toMatch(/https?:\/\//);
    const script = await fetch(new URL("docs/swagger-ui.js", `${base}/`));
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(await script.text()).toContain("SwaggerUIBundle");
    const style = await fetch(new URL("docs/swagger-ui.css", `${base}/`));
    expect(style.headers.get("content-type")).toContain("text/css");
    expect((await style.text()).length).toBeGreaterThan(10_000);
  });
});
