/**
 * Tool credentials stay at the edge of the call: they reach the service, and nothing else —
 * no API response, step record, event, prompt sent to the LLM, or sandboxed code and its logs —
 * ever holds them, even when the service echoes one back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startToolService, type ToolService } from "../mocks/tool-service";
import { api, llm, runSteps, unique } from "./client";

const HEADER_SECRET = `hdr-${crypto.randomUUID()}`;
const QUERY_SECRET = `qry-${crypto.randomUUID()}`;
/** Sent as X-Request-Id, which the service's createNote echoes back as `request_id`. */
const ECHOED_SECRET = `echo-${crypto.randomUUID()}`;
const SECRETS = [HEADER_SECRET, QUERY_SECRET, ECHOED_SECRET];

const svc = `vault${Math.random().toString(36).slice(2, 8)}`;
let service: ToolService;
const seen: string[] = [];

/** Every API answer goes through here, so the test can search them all. */
async function call(method: "GET" | "POST", path: string, body?: unknown) {
  const res = method === "GET" ? await api().get(path) : await api().post(path, body);
  seen.push(typeof res.body === "string" ? res.body : JSON.stringify(res.body));
  return res;
}

beforeAll(async () => {
  service = await startToolService({ records: 12, requireHeader: { name: "X-Api-Key", value: HEADER_SECRET }, requireQuery: { name: "token", value: QUERY_SECRET } });
  const registered = await call("POST", "/tools", {
    name: svc,
    type: "openapi",
    url: service.url,
    headers: { "X-Api-Key": HEADER_SECRET, "X-Request-Id": ECHOED_SECRET },
    inject: { query: { token: QUERY_SECRET } },
  });
  expect(registered.status).toBe(201);
});

afterAll(async () => {
  await api().delete(`/tools/${svc}`);
  await service?.close();
});

async function runAndCollect(chainId: string, s: string) {
  const run = await call("POST", "/runs?wait=true", { chain_id: chainId, input: "go", vars: { model: s } });
  expect(run.body.status).toBe("succeeded");
  await call("GET", `/runs/${run.body.id}`);
  await call("GET", `/runs/${run.body.id}/steps`);
  await call("GET", `/runs/${run.body.id}/events`);
  return run.body;
}

describe("tool credentials", () => {
  it("reach the service, and appear in no response, step, event, prompt, sandbox code or log", async () => {
    const chat = unique("secret-chat");
    await llm().script(chat, [
      { tool_calls: [{ id: "c1", name: `${svc}__listRecords`, arguments: { limit: 2 } }, { id: "c2", name: `${svc}__createNote`, arguments: { title: "hello" } }] },
      { content: "Done." },
    ]);
    const chatRun = await runAndCollect("default-chain", chat);
    const note = JSON.parse(chatRun.output.messages.filter((m: { role: string }) => m.role === "tool")[1].content);
    expect(note).toMatchObject({ title: "hello", request_id: "[redacted]" });

    const code = unique("secret-code");
    await llm().script(code, [{ content: `const note = await tools.${svc}.createNote({ title: "from code" });\nconst page = await tools.${svc}.listRecords({ limit: 3 });\nconsole.log(JSON.stringify(note));\nreturn { answer: JSON.stringify({ note, count: page.items.length }) };` }]);
    const codeRun = await runAndCollect("code-mode", code);
    expect(JSON.parse(codeRun.output)).toMatchObject({ count: 3, note: { request_id: "[redacted]" } });
    const envelope = (await runSteps(api(), codeRun.id)).find((step: { task_id: string }) => step.task_id === "run_js").output;
    expect(envelope.logs.join("\n")).toContain("[redacted]");

    // The credentials did go out: every operation call carried them.
    const operations = service.calls.filter((c) => !c.path.endsWith("openapi.json"));
    expect(operations.length).toBe(4);
    for (const c of operations) {
      expect(c.headers["x-api-key"]).toBe(HEADER_SECRET);
      expect(c.query.token).toBe(QUERY_SECRET);
    }

    await call("GET", "/tools");
    await call("GET", `/tools/${svc}`);
    await call("GET", "/runs?limit=100");
    const prompts = [...(await llm().requests(chat)), ...(await llm().requests(code))].map((r) => JSON.stringify(r.body));
    expect(prompts.length).toBe(3);
    const everything = [...seen, ...prompts].join("\n");
    expect(everything).toContain(`${svc}__createNote`);
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
  });

  it("shows only the names of the credentials", async () => {
    const { body } = await call("GET", `/tools/${svc}`);
    expect(body.credentials).toEqual({ headers: ["X-Api-Key", "X-Request-Id"], inject: { query: ["token"], path: [], body: [] } });
    const note = body.tools.find((t: { operation: string }) => t.operation === "createNote");
    expect(Object.keys(note.parameters.properties)).toEqual(["title", "body", "tags"]);
  });

  it("keeps them on a refresh that leaves them out, and drops them when the URL changes", async () => {
    const refreshed = await call("POST", "/tools", { name: svc, type: "openapi", url: service.url });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.credentials.headers).toEqual(["X-Api-Key", "X-Request-Id"]);
    const s = unique("secret-kept");
    await llm().script(s, [{ tool_calls: [{ id: "k1", name: `${svc}__getRecord`, arguments: { id: 2 } }] }, { content: "ok" }]);
    const run = await runAndCollect("default-chain", s);
    expect(JSON.parse(run.output.messages.find((m: { role: string }) => m.role === "tool").content)).toMatchObject({ id: 2 });

    const moved = await call("POST", "/tools", { name: svc, type: "openapi", url: `${service.url}/`, spec_url: `${service.url}/openapi.json` });
    expect(moved.body.credentials).toEqual({ headers: [], inject: { query: [], path: [], body: [] } });
    for (const secret of SECRETS) expect(seen.join("\n")).not.toContain(secret);
  });
});
