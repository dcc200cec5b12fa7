import { describe, expect, it } from "vitest";
import { hook } from "../../../src/engine/handlers/hook";
import type { Task } from "../../../src/engine/chain";
import { FakeTools, contextFor, rejectionOf } from "../fakes";

const notify: Task = {
  id: "notify",
  handler: "hook",
  hook: { name: "notify", tool_name: "send_email", args: { to: "{{.lookup.email}}", body: "Order {{.input}} shipped", meta: "{{.lookup}}" } },
};

describe("hook", () => {
  it("calls the tool with arguments rendered from earlier outputs and passes the result on", async () => {
    const tools = new FakeTools({ send_email: () => ({ id: "msg-1" }) });
    const lookup = { email: "ada@example.com" };
    const ctx = contextFor(notify, { effects: { tools }, state: { run_id: "r1", input: "42", outputs: { lookup }, step_count: 3 } });
    const result = await hook(ctx);

    expect(tools.calls[0]?.name).toBe("send_email");
    expect(tools.calls[0]?.args).toEqual({ to: "ada@example.com", body: "Order 42 shipped", meta: lookup });
    expect(tools.calls[0]?.ctx).toMatchObject({ runId: "r1", taskId: "notify", idempotencyKey: "r1:3:notify" });
    expect(result).toEqual({ output: { id: "msg-1" }, eval: "ok" });
  });

  it('evaluates to "error" when the tool reports an error', async () => {
    const tools = new FakeTools({ send_email: () => ({ error: "mailbox full" }) });
    const ctx = contextFor(notify, { effects: { tools }, state: { outputs: { lookup: { email: "x" } }, input: "1" } });
    expect(await hook(ctx)).toEqual({ output: { error: "mailbox full" }, eval: "error" });
  });

  it("fails clearly when the task has no hook", async () => {
    const error = await rejectionOf(hook(contextFor({ id: "notify", handler: "hook" })));
    expect(error.type).toBe("validation");
    expect(error.message).toContain('task "notify" (hook) has no "hook"');
  });
});
