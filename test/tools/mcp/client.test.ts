import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callMcpTool, listMcpTools } from "../../../src/tools/mcp/client";
import { startEverythingServer, type EverythingServer } from "./everything-server";

let streamable: EverythingServer;
let sse: EverythingServer;

beforeAll(async () => {
  [streamable, sse] = await Promise.all([startEverythingServer("streamableHttp"), startEverythingServer("sse")]);
}, 30_000);

afterAll(async () => {
  await Promise.all([streamable?.close(), sse?.close()]);
});

describe("the MCP client against the reference server", () => {
  it("lists the tools over Streamable HTTP", async () => {
    const { transport, tools } = await listMcpTools({ url: streamable.url, headers: {}, timeoutMs: 10_000 });
    expect(transport).toBe("streamable-http");
    const echo = tools.find((t) => t.name === "echo");
    expect(echo?.description).toBe("Echoes back the input string");
    expect(echo?.inputSchema).toMatchObject({ type: "object", properties: { message: { type: "string" } }, required: ["message"] });
    expect(tools.find((t) => t.name === "get-structured-content")?.outputSchema).toMatchObject({ type: "object" });
  });

  it("calls tools and returns plain values: text, or the structured content", async () => {
    const endpoint = { url: streamable.url, headers: {}, timeoutMs: 10_000, transport: "streamable-http" as const };
    expect(await callMcpTool(endpoint, "echo", { message: "hi" })).toBe("Echo: hi");
    expect(await callMcpTool(endpoint, "get-sum", { a: 2, b: 40 })).toBe("The sum of 2 and 40 is 42.");
    expect(await callMcpTool(endpoint, "get-structured-content", { location: "Chicago" })).toMatchObject({ temperature: expect.any(Number), conditions: expect.any(String) });
  });

  it("turns a failing call into { error } instead of throwing", async () => {
    const endpoint = { url: streamable.url, headers: {}, timeoutMs: 10_000 };
    const result = (await callMcpTool(endpoint, "echo", { message: 5 })) as { error?: string };
    expect(result.error).toBeTruthy();
    const unreachable = (await callMcpTool({ url: "http://127.0.0.1:1/mcp", headers: {}, timeoutMs: 2_000 }, "echo", {})) as { error?: string };
    expect(unreachable.error).toMatch(/Could not connect to the MCP server at http:\/\/127\.0\.0\.1:1\/mcp/);
  });

  it("falls back to the older HTTP+SSE transport when Streamable HTTP is not served", async () => {
    const { transport, tools } = await listMcpTools({ url: sse.url, headers: {}, timeoutMs: 10_000 });
    expect(transport).toBe("sse");
    expect(tools.map((t) => t.name)).toContain("echo");
    expect(await callMcpTool({ url: sse.url, headers: {}, timeoutMs: 10_000, transport }, "echo", { message: "old" })).toBe("Echo: old");
  });
});
