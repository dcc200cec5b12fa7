import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { api } from "./client";

const CHAINS_DIR = join(import.meta.dirname, "..", "..", "chains");

describe("health and auth", () => {
  it("answers /health without a key", async () => {
    const res = await fetch(`${api().baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });

  it("refuses a missing or wrong key with 401 and changes nothing", async () => {
    const id = `auth-probe-${Date.now()}`;
    const chain = { id, tasks: [{ id: "a", handler: "noop" }] };
    const noKey = await fetch(`${api().baseUrl}/chains`, { method: "POST", body: JSON.stringify(chain) });
    expect(noKey.status).toBe(401);
    expect((await noKey.json()).error.type).toBe("unauthorized");
    const wrong = await api(undefined, "not-a-key").post("/chains", chain);
    expect(wrong.status).toBe(401);
    expect((await api().get(`/chains/${id}`)).status).toBe(404);
  });

  it("accepts every configured key", async () => {
    expect((await api(undefined, "second-key").get("/chains")).status).toBe(200);
  });
});

describe("POST /chains/validate", () => {
  for (const file of readdirSync(CHAINS_DIR).filter((f) => f.endsWith(".json"))) {
    it(`accepts the bundled ${file}`, async () => {
      const res = await api().post("/chains/validate", readFileSync(join(CHAINS_DIR, file), "utf8"));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ok: true, id: file.replace(/\.json$/, "") });
    });
  }

  it("reports every problem of a broken chain with its path", async () => {
    const broken = {
      id: "broken",
      tasks: [
        { id: "a", handler: "chat_completion", transition: { branches: [{ operator: "equals", when: "x", goto: "nowhere" }] } },
        { id: "a", handler: "no_such_handler" },
        { id: "c", handler: "noop", input_var: "ghost", transition: { branches: [{ operator: "sideways", when: "", goto: "end" }] } },
      ],
    };
    const res = await api().post("/chains/validate", broken);
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe("invalid_chain");
    const errors: string[] = res.body.error.problems.filter((p: { severity: string }) => p.severity === "error").map((p: { path: string }) => p.path);
    expect(errors).toEqual(expect.arrayContaining(["tasks[0].transition.branches[0].goto", "tasks[1].id", "tasks[1].handler", "tasks[2].transition.branches[0].operator"]));
    // input_var may also name a run var, so an unknown one is a warning, reported alongside.
    const warnings: string[] = res.body.error.problems.filter((p: { severity: string }) => p.severity === "warning").map((p: { path: string }) => p.path);
    expect(warnings).toContain("tasks[2].input_var");
  });

  it("warns about tool names nothing provides yet, but accepts the chain", async () => {
    const chain = { id: "tooly", tasks: [{ id: "chat", handler: "chat_completion", execute_config: { tools: ["http_fetch", "weather_service"] } }] };
    const res = await api().post("/chains/validate", chain);
    expect(res.status).toBe(200);
    const warnings = res.body.problems.filter((p: { severity: string }) => p.severity === "warning");
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toContain("weather_service");
  });

  it("points at the line and column of a JSON syntax error", async () => {
    const res = await api().post("/chains/validate", '{\n  "id": "x",\n  "tasks": [ { "id": "a" "handler": "noop" } ]\n}');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/line 3/);
  });
});

describe("chain registry", () => {
  it("creates, refuses a duplicate, versions updates, lists, reads and deletes", async () => {
    const id = `crud-${Date.now()}`;
    const v1 = { id, description: "first", tasks: [{ id: "only", handler: "noop" }] };
    const created = await api().post("/chains", v1);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id, version: 1, source: "registry" });

    const dup = await api().post("/chains", v1);
    expect(dup.status).toBe(409);

    const updated = await api().put(`/chains/${id}`, { ...v1, description: "second" });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);

    const got = await api().get(`/chains/${id}`);
    expect(got.body).toMatchObject({ id, version: 2, description: "second" });

    const list = await api().get("/chains");
    const ids = list.body.data.map((c: { id: string }) => c.id);
    expect(ids).toContain(id);
    expect(ids).toContain("default-chain");

    expect((await api().delete(`/chains/${id}`)).status).toBe(200);
    expect((await api().get(`/chains/${id}`)).status).toBe(404);
    expect((await api().delete(`/chains/${id}`)).status).toBe(404);
  });

  it("lists a chain's versions newest first, each with its definition, and keeps them after a delete", async () => {
    const id = `history-${Date.now()}`;
    const v1 = { id, description: "first", tasks: [{ id: "only", handler: "noop" }] };
    expect((await api().post("/chains", v1)).status).toBe(201);
    expect((await api().put(`/chains/${id}`, { ...v1, description: "second" })).status).toBe(200);
    const versions = await api().get(`/chains/${id}/versions`);
    expect(versions.status).toBe(200);
    expect(versions.body.data.map((v: { version: number; definition: { description: string } }) => [v.version, v.definition.description])).toEqual([
      [2, "second"],
      [1, "first"],
    ]);
    await api().delete(`/chains/${id}`);
    expect((await api().get(`/chains/${id}/versions`)).body.data).toHaveLength(2);
    expect((await api().get("/chains/default-chain/versions")).body.data).toEqual(expect.any(Array));
    expect((await api().get("/chains/never-registered/versions")).status).toBe(404);
  });

  it("refuses a chain whose id does not match the URL and stores nothing", async () => {
    const res = await api().put("/chains/one-name", { id: "other-name", tasks: [{ id: "a", handler: "noop" }] });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe("id");
    expect((await api().get("/chains/one-name")).status).toBe(404);
  });

  it("serves bundled chains by id and lets the registry override them", async () => {
    const bundled = await api().get("/chains/safe-chain");
    expect(bundled.body.source).toBe("bundled");
    const override = { ...bundled.body.definition, description: "overridden" };
    expect((await api().put("/chains/safe-chain", override)).status).toBe(200);
    expect((await api().get("/chains/safe-chain")).body).toMatchObject({ source: "registry", description: "overridden" });
    expect((await api().delete("/chains/safe-chain")).status).toBe(200);
    expect((await api().get("/chains/safe-chain")).body.source).toBe("bundled");
  });

  it("refuses to create over a bundled chain's id, pointing at PUT, which says it overrides", async () => {
    const bundled = await api().get("/chains/resilient-chain");
    const mine = { ...bundled.body.definition, description: "mine" };
    const refused = await api().post("/chains", mine);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ type: "conflict", path: "id", message: expect.stringContaining("PUT /chains/resilient-chain") });
    expect((await api().get("/chains/resilient-chain")).body).toMatchObject({ source: "bundled", description: bundled.body.description });

    const put = await api().put("/chains/resilient-chain", mine);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ source: "registry", overrides_bundled: true, description: "mine" });
    expect((await api().delete("/chains/resilient-chain")).status).toBe(200);
    expect((await api().get("/chains/resilient-chain")).body.source).toBe("bundled");
  });

  it("refuses a body over the size limit with 413", async () => {
    const huge = JSON.stringify({ id: "huge", description: "x".repeat(1_100_000), tasks: [] });
    const res = await api().post("/chains", huge);
    expect(res.status).toBe(413);
    expect(res.body.error.type).toBe("payload_too_large");
  });
});

describe("a chain changed while runs start from it", () => {
  it("is used at once by the next run: registered, changed and deleted between two starts", async () => {
    const id = `changing-${Date.now()}`;
    const version = (n: number) => ({ id, tasks: [{ id: "only", handler: "noop", print: `version ${n}` }] });
    const start = () => api().post("/runs?wait=true", { chain_id: id, input: "x" });

    expect((await start()).status).toBe(404);
    expect((await api().post("/chains", version(1))).status).toBe(201);
    const first = await start();
    expect(first.body).toMatchObject({ chain_id: id, chain_version: 1, status: "succeeded" });

    expect((await api().put(`/chains/${id}`, version(2))).status).toBe(200);
    const second = await start();
    expect(second.body).toMatchObject({ chain_id: id, chain_version: 2, status: "succeeded" });
    const snapshot = await api().get(`/runs/${second.body.id}/chain`);
    expect(snapshot.body).toMatchObject({ definition: version(2) });

    expect((await api().delete(`/chains/${id}`)).status).toBe(200);
    expect((await start()).status).toBe(404);
  });
});
