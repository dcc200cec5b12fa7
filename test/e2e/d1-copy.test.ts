/**
 * D1, the queryable copy of a run, converges on the run's object whatever fails in between: a
 * D1 write that fails for the final state of a run (finished, waiting for approval, cancelled)
 * is retried by the object's alarm until it lands, and a runtime killed between recording the
 * final step and writing D1 catches up after its restart — with no request touching the run.
 *
 * D1 is made to fail through the test seam at the storage edge (TEST_D1_FAULTS_URL): before
 * each write the object asks the fault switch below, which fails or stalls the writes a test
 * chooses and lets every other write through.
 */
import { spawnSync } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startToolService, type ToolService } from "../mocks/tool-service";
import { api, eventually, llm, unique } from "./client";
import { freePort, startDevServer, type DevServer } from "./dev-server";

type Write = { run_id: string; chain_id: string; status: string };
type Verdict = "ok" | "fail" | "stall";

/** Decides each D1 write of the runs under test; records what it was asked. */
class FaultSwitch {
  rule: (write: Write) => Verdict = () => "ok";
  readonly asked: Write[] = [];
  private stalled: ServerResponse[] = [];
  private server?: Server;
  url = "";

  async start(): Promise<void> {
    const port = await freePort();
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const q = new URL(req.url ?? "/", "http://x").searchParams;
      const write = { run_id: q.get("run_id") ?? "", chain_id: q.get("chain_id") ?? "", status: q.get("status") ?? "" };
      this.asked.push(write);
      const verdict = this.rule(write);
      if (verdict === "stall") return void this.stalled.push(res);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(verdict === "fail" ? { fail: "D1_ERROR: database is locked (injected)" } : {}));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${port}/d1`;
  }

  asksFor(runId: string, status: string): boolean {
    return this.asked.some((w) => w.run_id === runId && w.status === status);
  }

  /** Lets the stalled writes through. */
  release(): void {
    for (const res of this.stalled.splice(0)) {
      res.setHeader("content-type", "application/json");
      res.end("{}");
    }
  }

  async close(): Promise<void> {
    for (const res of this.stalled) res.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const faults = new FaultSwitch();
let server: DevServer;
let tools: ToolService;
const svc = `d1notes${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  await faults.start();
  tools = await startToolService({ records: 3 });
  server = await startDevServer({
    vars: { API_KEYS: inject("apiKey"), LLM_BASE_URL: inject("llmUrl"), LLM_API_KEY: "k", LLM_MODEL: "mock-model", SECRETS_KEY: "e2e-secrets-key", TEST_D1_FAULTS_URL: faults.url },
  });
  const res = await api(server.url).post("/tools", { name: svc, type: "openapi", url: tools.url, requires_approval: ["createNote"] });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await server?.stop();
  await tools?.close();
  await faults.close();
});

const next = (goto: string) => ({ branches: [{ operator: "default", when: "", goto }] });

/** The run as `GET /runs` lists it (D1), never asking its object. */
async function listed(chainId: string): Promise<{ id: string; status: string; step_count: number } | undefined> {
  const res = await api(server.url).get(`/runs?chain_id=${chainId}`);
  return res.body.data[0];
}

/** Rows of the e2e server's local D1, read with wrangler as an operator would. */
function d1Rows(sql: string): Array<Record<string, unknown>> {
  const wrangler = join(import.meta.dirname, "..", "..", "node_modules", ".bin", "wrangler");
  const read = spawnSync(wrangler, ["d1", "execute", "DB", "--local", "--persist-to", server.persistDir, "--json", "--command", sql], { encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" } });
  expect(read.status, read.stderr).toBe(0);
  return (JSON.parse(read.stdout) as Array<{ results: Array<Record<string, unknown>> }>)[0]!.results;
}

describe("the D1 copy of a run", () => {
  it("holds a row per step, every column as the step record has it, for runs longer than one write", async () => {
    const chainId = `d1-steps-${unique("c")}`;
    faults.rule = () => "ok";
    const model = unique("d1-steps");
    await llm().script(model, [{ content: "A reply.", usage: { prompt_tokens: 7, completion_tokens: 3 } }]);
    const loop = { branches: [{ operator: "edge_traversed_at_least", edge: "spin->spin", when: "149", goto: "ask" }, { operator: "default", when: "", goto: "spin" }] };
    const chain = {
      id: chainId,
      tasks: [
        { id: "spin", handler: "noop", transition: loop },
        { id: "ask", handler: "chat_completion", execute_config: { model }, transition: next("fail") },
        { id: "fail", handler: "raise_error", prompt_template: "stop here" },
      ],
    };
    const run = (await api(server.url).post("/runs?wait=true", { chain, input: "x" })).body;
    expect(run).toMatchObject({ status: "failed", step_count: 152 });
    const records = (await api(server.url).get(`/runs/${run.id}/steps`)).body.data as Array<Record<string, unknown> & { usage: { prompt_tokens: number; completion_tokens: number } | null; error: unknown }>;
    await eventually(() => listed(chainId), (r) => r?.status === "failed", "the D1 copy");
    const rows = d1Rows(`SELECT * FROM steps WHERE run_id = '${run.id}' ORDER BY idx`);
    expect(rows).toEqual(
      records.map((r) => ({
        run_id: run.id,
        idx: r.index,
        task_id: r.task_id,
        handler: r.handler,
        eval: r.eval,
        goto: r.goto,
        started_at: r.started_at,
        duration_ms: r.duration_ms,
        error: r.error ? JSON.stringify(r.error) : null,
        attempt: r.attempt,
        model: r.model,
        prompt_tokens: r.usage?.prompt_tokens ?? null,
        completion_tokens: r.usage?.completion_tokens ?? null,
      })),
    );
    expect(rows.at(-2)).toMatchObject({ task_id: "ask", model, prompt_tokens: 7, completion_tokens: 3 });
    expect(rows.at(-1)).toMatchObject({ task_id: "fail", error: expect.stringContaining("stop here") });
  });

  it("is retried by the object until D1 takes the final state, and lists the run as running meanwhile", async () => {
    const chainId = `d1-final-${unique("c")}`;
    let failing = true;
    faults.rule = (w) => (w.chain_id === chainId && w.status === "succeeded" && failing ? "fail" : "ok");
    const chain = { id: chainId, tasks: [{ id: "a", handler: "noop", transition: next("b") }, { id: "b", handler: "noop", transition: next("end") }] };
    const started = await api(server.url).post("/runs?wait=true", { chain, input: "x" });
    expect(started.body.status).toBe("succeeded");

    await eventually(async () => faults.asked.filter((w) => w.chain_id === chainId && w.status === "succeeded").length, (n) => n >= 2, "the D1 copy");
    expect(await listed(chainId)).toMatchObject({ id: started.body.id, status: "running" });
    const stillRunning = await api(server.url).get(`/runs?status=running&chain_id=${chainId}`);
    expect(stillRunning.body.data.map((r: { id: string }) => r.id)).toEqual([started.body.id]);
    const view = await api(server.url).get(`/runs/${started.body.id}`);
    expect(view.body).toMatchObject({ status: "succeeded", d1_copy: { behind: true, last_error: expect.stringContaining("database is locked") } });
    expect(view.body.d1_copy.attempts).toBeGreaterThanOrEqual(2);

    failing = false;
    const caughtUp = await eventually(() => listed(chainId), (r) => r?.status === "succeeded", "the D1 copy");
    expect(caughtUp).toMatchObject({ status: "succeeded", step_count: 2 });
    const steps = await api(server.url).get(`/runs/${started.body.id}/steps`);
    expect(steps.body.data).toHaveLength(2);
    expect((await api(server.url).get(`/runs/${started.body.id}`)).body).not.toHaveProperty("d1_copy");
  });

  it("converges after the runtime is killed between the final step and the D1 write", async () => {
    const chainId = `d1-kill-${unique("c")}`;
    faults.rule = (w) => (w.chain_id === chainId && w.status === "succeeded" ? "stall" : "ok");
    const chain = { id: chainId, tasks: [{ id: "only", handler: "noop" }] };
    const started = await api(server.url).post("/runs", { chain, input: "x" });
    await eventually(async () => faults.asksFor(started.body.id, "succeeded"), Boolean, "the D1 copy");
    expect((await listed(chainId))?.status).not.toBe("succeeded");

    await server.crash();
    faults.rule = () => "ok";
    server = await startDevServer({ vars: server.vars, persistDir: server.persistDir });

    const caughtUp = await eventually(() => listed(chainId), (r) => r?.status === "succeeded", "the D1 copy");
    expect(caughtUp).toMatchObject({ id: started.body.id, step_count: 1 });
  });

  it("answers a wait for a listed run that arrives while the run settles only once D1 has taken the final write", async () => {
    const chainId = `d1-settling-${unique("c")}`;
    faults.rule = (w) => (w.chain_id === chainId && w.status === "succeeded" ? "stall" : "ok");
    const chain = { id: chainId, tasks: [{ id: "only", handler: "noop" }] };
    const key = { "idempotency-key": unique("settling") };
    const started = await api(server.url).post("/runs", { chain, input: "x" }, key);
    expect(started.status).toBe(202);
    await eventually(async () => faults.asksFor(started.body.id, "succeeded"), Boolean, "the final D1 write");

    // The same start again, waiting this time: it names the same run, which has ended.
    let answered = false;
    const waited = api(server.url).post("/runs?wait=true", { chain, input: "x" }, key).then((res) => ((answered = true), res));
    await new Promise((resolve) => setTimeout(resolve, 750));
    expect(answered).toBe(false);
    expect((await listed(chainId))?.status).not.toBe("succeeded");

    faults.rule = () => "ok";
    faults.release();
    const res = await waited;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: started.body.id, status: "succeeded" });
    expect(await listed(chainId)).toMatchObject({ id: started.body.id, status: "succeeded", step_count: 1 });
  });

  it("lands a run's pause for approval, and its cancellation, once D1 takes writes again", async () => {
    const s = unique("d1-approval");
    await llm().script(s, [{ tool_calls: [{ id: "call_note", name: `${svc}__createNote`, arguments: { title: "t" } }] }, { content: "done" }]);
    const chainId = `d1-wait-${unique("c")}`;
    let failing = true;
    faults.rule = (w) => (w.chain_id === chainId && (w.status === "waiting" || w.status === "cancelled") && failing ? "fail" : "ok");
    const chain = {
      id: chainId,
      tasks: [
        { id: "chat", handler: "chat_completion", execute_config: { model: s, tools: ["*"] }, transition: { branches: [{ operator: "equals", when: "tool-call", goto: "tools" }, { operator: "default", when: "", goto: "end" }] } },
        { id: "tools", handler: "execute_tool_calls", input_var: "chat", transition: next("chat") },
      ],
    };
    const started = await api(server.url).post("/runs?wait=true", { chain, input: "note it" });
    expect(started.body.status).toBe("waiting");
    await eventually(async () => faults.asked.filter((w) => w.run_id === started.body.id && w.status === "waiting").length, (n) => n >= 2, "the D1 copy");
    expect((await listed(chainId))?.status).not.toBe("waiting");

    failing = false;
    await eventually(() => listed(chainId), (r) => r?.status === "waiting", "the D1 copy");

    failing = true;
    const cancelled = await api(server.url).post(`/runs/${started.body.id}/cancel`);
    expect(cancelled.body.status).toBe("cancelled");
    await eventually(async () => faults.asked.filter((w) => w.run_id === started.body.id && w.status === "cancelled").length, (n) => n >= 2, "the D1 copy");
    expect((await listed(chainId))?.status).toBe("waiting");

    failing = false;
    await eventually(() => listed(chainId), (r) => r?.status === "cancelled", "the D1 copy");
    expect(tools.calls.some((c) => c.method === "POST" && c.path === "/notes")).toBe(false);
  });

  it("is rewritten on request by POST /runs/:id/resync", async () => {
    const chainId = `d1-resync-${unique("c")}`;
    faults.rule = () => "ok";
    const chain = { id: chainId, tasks: [{ id: "only", handler: "noop" }] };
    const run = (await api(server.url).post("/runs?wait=true", { chain, input: "x" })).body;
    const res = await api(server.url).post(`/runs/${run.id}/resync`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: run.id, status: "succeeded" });
    expect(res.body).not.toHaveProperty("d1_copy");
    expect(faults.asked.filter((w) => w.run_id === run.id && w.status === "succeeded").length).toBeGreaterThanOrEqual(2);
    expect((await api(server.url).post("/runs/no-such-run/resync")).status).toBe(404);
  });

  it("is repaired by the scheduled sweep when D1 lists a run as unfinished for longer than a run may take", async () => {
    const chainId = `d1-sweep-${unique("c")}`;
    faults.rule = () => "ok";
    const run = (await api(server.url).post("/runs?wait=true", { chain: { id: chainId, tasks: [{ id: "only", handler: "noop" }] }, input: "x" })).body;
    await eventually(() => listed(chainId), (r) => r?.status === "succeeded", "the D1 copy");
    // A row left behind as rows were before objects caught D1 up themselves: stale and unfinished.
    const sql = `UPDATE runs SET status = 'running', step_count = 0, updated_at = 0 WHERE id = '${run.id}'`;
    const wrangler = join(import.meta.dirname, "..", "..", "node_modules", ".bin", "wrangler");
    const edited = spawnSync(wrangler, ["d1", "execute", "DB", "--local", "--persist-to", server.persistDir, "--command", sql], { encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" } });
    expect(edited.status, edited.stderr).toBe(0);
    expect(await listed(chainId)).toMatchObject({ status: "running", step_count: 0 });

    const scheduled = await fetch(`${server.url}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*&time=${Date.now()}`);
    expect(scheduled.status).toBe(200);
    expect(await eventually(() => listed(chainId), (r) => r?.status === "succeeded", "the D1 copy")).toMatchObject({ step_count: 1 });
  });
});
