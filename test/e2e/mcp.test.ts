/**
 * MCP servers as tool services: the reference server from the npm registry
 * (`@modelcontextprotocol/server-everything`) on loopback, registered through the API over
 * Streamable HTTP (and over the older HTTP+SSE transport), its tools called by the model in
 * `default-chain` and by `code-mode` programs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEverythingServer, type EverythingServer } from "../tools/mcp/everything-server";
import { api, llm, unique } from "./client";

const svc = `everything${Math.random().toString(36).slice(2, 8)}`;
let streamable: EverythingServer;
let sse: EverythingServer;

beforeAll(async () => {
  [streamable, sse] = await Promise.all([startEverythingServer("streamableHttp"), startEverythingServer("sse")]);
  const registered = await api().post("/tools", { name: svc, type: "mcp", url: streamable.url });
  expect(registered.status).toBe(201);
});

afterAll(async () => {
  await api().delete(`/tools/${svc}`);
  await api().delete(`/tools/${svc}-sse`);
  await Promise.all([streamable?.close(), sse?.close()]);
});

describe("POST /tools (MCP)", () => {
  it("lists the server's tools under provider-safe names with their schemas", async () => {
    const { body } = await api().get(`/tools/${svc}`);
    expect(body).toMatchObject({ name: svc, type: "mcp", url: streamable.url });
    const names = body.tools.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining([`${svc}__echo`, `${svc}__get-sum`]));
    expect(body.tools.find((t: { operation: string }) => t.operation === "echo")).toMatchObject({
      description: "Echoes back the input string",
      parameters: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
    });
  });

  it("registers an older server over HTTP+SSE", async () => {
    const res = await api().post("/tools", { name: `${svc}-sse`, type: "mcp", url: sse.url });
    expect(res.status).toBe(201);
    expect(res.body.tools.map((t: { operation: string }) => t.operation)).toContain("echo");
  });

  it("answers 400 with the reason when no MCP server answers", async () => {
    const res = await api().post("/tools", { name: `${svc}-gone`, type: "mcp", url: "http://127.0.0.1:1/mcp" });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: "invalid_tool_service", path: "url" });
    expect(res.body.error.message).toContain("Could not connect to the MCP server at http://127.0.0.1:1/mcp");
    expect((await api().get(`/tools/${svc}-gone`)).status).toBe(404);
  });
});

describe("MCP tools in chains", () => {
  it("runs the model's calls to MCP tools in default-chain", async () => {
    const s = unique("mcp-chat");
    await llm().script(s, [
      { tool_calls: [{ id: "e1", name: `${svc}__echo`, arguments: { message: "ping" } }, { id: "e2", name: `${svc}__get-sum`, arguments: { a: 20, b: 22 } }] },
      { content: "pong, 42" },
    ]);
    const run = await api().post("/runs?wait=true", { chain_id: "default-chain", input: "echo and add", vars: { model: s } });
    expect(run.body.status).toBe("succeeded");
    const tools = run.body.output.messages.filter((m: { role: string }) => m.role === "tool").map((m: { content: string }) => m.content);
    expect(tools).toEqual(["Echo: ping", "The sum of 20 and 22 is 42."]);
    const [, second] = await llm().requests(s);
    expect(JSON.stringify(second!.body.messages)).toContain("The sum of 20 and 22 is 42.");
  });

  it("lets code-mode programs call MCP tools, hyphenated names included", async () => {
    const s = unique("mcp-code");
    await llm().script(s, [{ content: `const sum = await tools.${svc}["get-sum"]({ a: 1, b: 2 });\nconst echo = await callTool("${svc}__echo", { message: "hi" });\nreturn { answer: sum + " / " + echo };` }]);
    const run = await api().post("/runs?wait=true", { chain_id: "code-mode", input: "add and echo", vars: { model: s } });
    expect(run.body.status).toBe("succeeded");
    expect(run.body.output).toBe("The sum of 1 and 2 is 3. / Echo: hi");
    const [prompt] = await llm().requests(s);
    expect(JSON.stringify(prompt!.body.messages)).toContain('\\"get-sum\\"(args');
  });
});
