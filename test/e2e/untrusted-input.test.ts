/**
 * Requests shaped to reach JavaScript's object machinery rather than the data: ids that name
 * prototype members, a `__proto__` key that would become a prototype when the body is copied,
 * and nesting deep enough to overflow every recursive walk. Each is a clear 4xx that changes
 * nothing, and the server keeps answering.
 */
import { describe, expect, it } from "vitest";
import { api } from "./client";
import { expectServerAnswers } from "./sandbox-client";

describe("lookups by id", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"])("GET /chains/%s is a 404, not a prototype member", async (id) => {
    const res = await api().get(`/chains/${id}`);
    expect(res.status).toBe(404);
    expect(res.body.error.type).toBe("not_found");
  });

  it("a run of chain_id \"constructor\" is refused as an unknown chain", async () => {
    const res = await api().post("/runs", { chain_id: "constructor", input: "x" });
    expect(res.status).toBe(404);
  });
});

describe("a __proto__ key in a body", () => {
  it("is refused with its path, so an inherited execute_config.tools can never grant anything", async () => {
    const body = '{"chain": {"id": "proto-grant", "tasks": [{"id": "js", "handler": "run_js", "execute_config": {"__proto__": {"tools": ["*"]}}}]}, "input": {"code": "1"}}';
    const res = await api().post("/runs?wait=true", body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: "invalid_request", path: "chain.tasks[0].execute_config.__proto__" });
    const validate = await api().post("/chains/validate", '{"id": "c", "tasks": [{"id": "t", "handler": "noop", "execute_config": {"__proto__": {"tools": ["*"]}}}]}');
    expect(validate.status).toBe(400);
  });
});

describe("deeply nested JSON", () => {
  it("100,000 nested objects sent to /chains/validate are a 400, not a stack overflow", async () => {
    const deep = '{"id": "c", "tasks": [], "x": ' + '{"a":'.repeat(100_000) + "1" + "}".repeat(100_001);
    const res = await api().post("/chains/validate", deep);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("nests deeper than 64 levels");
    await expectServerAnswers();
  });
});
