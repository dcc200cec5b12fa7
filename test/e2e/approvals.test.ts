/**
 * Human approval of tool calls: a call to an operation registered with `requires_approval`
 * pauses the run (`waiting`) before anything is called, until someone approves it (the call
 * runs, the chain goes on) or denies it (the model gets the denial as the call's answer).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startToolService, type ToolService } from "../mocks/tool-service";
import { api, llm, unique, waitForRun } from "./client";

const svc = `notes${Math.random().toString(36).slice(2, 8)}`;
const createNote = `${svc}__createNote`;
let service: ToolService;

beforeAll(async () => {
  service = await startToolService({ records: 10 });
  const res = await api().post("/tools", { name: svc, type: "openapi", url: service.url, requires_approval: ["createNote"] });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await api().delete(`/tools/${svc}`);
  await service?.close();
});

const notesPosted = () => service.calls.filter((c) => c.method === "POST" && c.path === "/notes");

async function startWaitingRun(s: string, title: string) {
  await llm().script(s, [
    { tool_calls: [{ id: "call_read", name: `${svc}__getRecord`, arguments: { id: 1 } }, { id: "call_note", name: createNote, arguments: { title } }] },
    { content: "All done." },
  ]);
  const started = await api().post("/runs?wait=true", { chain_id: "default-chain", input: "note it", vars: { model: s } });
  expect(started.status).toBe(202);
  expect(started.body.status).toBe("waiting");
  return started.body;
}

describe("approvals", () => {
  it("pauses before the calls run, and runs them once approved", async () => {
    const s = unique("approve");
    const before = notesPosted().length;
    const waiting = await startWaitingRun(s, "approved note");
    expect(waiting.pending_approvals).toEqual([
      expect.objectContaining({ call_id: "call_note", tool: createNote, arguments: { title: "approved note" }, status: "pending", task_id: "run_tools" }),
    ]);
    expect(notesPosted().length).toBe(before);
    expect(service.calls.some((c) => c.path === "/records/1")).toBe(false);

    const listed = await api().get(`/runs/${waiting.id}/approvals`);
    expect(listed.body.data).toHaveLength(1);

    const decided = await api().post(`/runs/${waiting.id}/approvals/call_note`, { decision: "approve", reason: "fine" });
    expect(decided.status).toBe(200);
    expect(decided.body.approval).toMatchObject({ status: "approved", reason: "fine", decided_at: expect.any(Number) });

    const run = await waitForRun(api(), waiting.id, (r) => r.status === "succeeded" || r.status === "failed");
    expect(run.status).toBe("succeeded");
    expect(run).not.toHaveProperty("pending_approvals");
    expect(notesPosted().length).toBe(before + 1);
    const tools = run.output.messages.filter((m: { role: string }) => m.role === "tool");
    expect(JSON.parse(tools[1].content)).toMatchObject({ title: "approved note", id: expect.stringMatching(/^note-/) });

    const again = await api().post(`/runs/${waiting.id}/approvals/call_note`, { decision: "deny" });
    expect(again.status).toBe(409);
  });

  it("answers the model with the denial and its reason, and never calls the tool", async () => {
    const s = unique("deny");
    const before = notesPosted().length;
    const waiting = await startWaitingRun(s, "denied note");
    const decided = await api().post(`/runs/${waiting.id}/approvals/call_note`, { decision: "deny", reason: "not today" });
    expect(decided.status).toBe(200);
    const run = await waitForRun(api(), waiting.id, (r) => r.status === "succeeded" || r.status === "failed");
    expect(run.status).toBe("succeeded");
    expect(notesPosted().length).toBe(before);
    const tools = run.output.messages.filter((m: { role: string }) => m.role === "tool");
    expect(JSON.parse(tools[0].content)).toMatchObject({ id: 1 });
    expect(tools[1].content).toContain(`The call to "${createNote}" was denied by a human reviewer: not today`);
    const [, second] = await llm().requests(s);
    expect(JSON.stringify(second!.body.messages)).toContain("not today");
  });

  it("pauses a hook task's call the same way, under the task's id", async () => {
    const before = notesPosted().length;
    const chain = { id: "hook-approval", tasks: [{ id: "file_note", handler: "hook", hook: { name: "note", tool_name: createNote, args: { title: "{{.input}}" } } }] };
    const started = await api().post("/runs?wait=true", { chain, input: "from a hook" });
    expect(started.body).toMatchObject({ status: "waiting", pending_approvals: [{ call_id: "file_note", tool: createNote, arguments: { title: "from a hook" } }] });
    expect((await api().post(`/runs/${started.body.id}/approvals/file_note`, { decision: "approve" })).status).toBe(200);
    const run = await waitForRun(api(), started.body.id, (r) => r.status === "succeeded" || r.status === "failed");
    expect(run.output).toMatchObject({ title: "from a hook", id: expect.stringMatching(/^note-/) });
    expect(notesPosted().length).toBe(before + 1);
  });

  it("refuses unknown calls and bad decisions, and lets a waiting run be cancelled", async () => {
    const s = unique("cancel");
    const waiting = await startWaitingRun(s, "cancelled note");
    expect((await api().post(`/runs/${waiting.id}/approvals/nope`, { decision: "approve" })).status).toBe(404);
    const bad = await api().post(`/runs/${waiting.id}/approvals/call_note`, { decision: "maybe" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe("decision");
    expect((await api().post(`/runs/${waiting.id}/cancel`)).status).toBe(202);
    const run = await waitForRun(api(), waiting.id, (r) => r.status === "cancelled");
    expect(run.error.type).toBe("cancelled");
    expect((await api().post(`/runs/${waiting.id}/approvals/call_note`, { decision: "approve" })).status).toBe(409);
  });

  it("answers a streamed chat completion's headers while its run waits, so the client can show the call", async () => {
    const s = unique("stream-wait");
    await llm().script(s, [{ tool_calls: [{ id: "call_note", name: createNote, arguments: { title: "streamed note" } }] }, { content: "Noted." }]);
    const response = await fetch(`${api().baseUrl}/openai/default-chain/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${api().apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: s, stream: true, messages: [{ role: "user", content: "note it" }] }),
    });
    expect(response.status).toBe(200);
    const runId = response.headers.get("x-switchyard-run-id")!;
    const waiting = await waitForRun(api(), runId, (r) => r.status === "waiting");
    expect(waiting.pending_approvals).toEqual([expect.objectContaining({ call_id: "call_note", tool: createNote })]);
    expect((await api().post(`/runs/${runId}/approvals/call_note`, { decision: "approve" })).status).toBe(200);
    const text = await response.text();
    expect(text).toContain('"content":"Noted."');
    expect(text.trim().endsWith("data: [DONE]")).toBe(true);
  });

  it("refuses calls that need approval from code-mode programs, where nobody can be asked", async () => {
    const s = unique("code-approval");
    const before = notesPosted().length;
    await llm().script(s, [{ content: `const note = await tools.${svc}.createNote({ title: "sneaky" });\nreturn { answer: note.error ?? "created" };` }]);
    const run = await api().post("/runs?wait=true", { chain_id: "code-mode", input: "write a note", vars: { model: s } });
    expect(run.body.status).toBe("succeeded");
    expect(run.body.output).toContain("needs a human's approval");
    expect(notesPosted().length).toBe(before);
  });
});
