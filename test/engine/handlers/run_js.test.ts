import { describe, expect, it } from "vitest";
import { run_js } from "../../../src/engine/handlers/run_js";
import type { Task } from "../../../src/engine/chain";
import { FakeSandbox, contextFor, rejectionOf } from "../fakes";

const task: Task = { id: "run", handler: "run_js" };

describe("run_js", () => {
  it("runs the { code } it receives and passes the whole envelope on", async () => {
    const sandbox = new FakeSandbox(() => ({ ok: true, result: 55 }));
    const result = await run_js(contextFor(task, { input: { code: "return 55" }, effects: { sandbox }, state: { run_id: "r7" } }));

    expect(sandbox.runs).toEqual([{ code: "return 55", task, runId: "r7" }]);
    expect(result.eval).toBe("ok");
    expect(result.output).toMatchObject({ ok: true, result: 55, code: "return 55", logs: [], calls: [] });
  });

  it('evaluates to "error" when the code fails', async () => {
    const sandbox = new FakeSandbox(() => ({ ok: false, error: "ReferenceError: x is not defined" }));
    const result = await run_js(contextFor(task, { input: { code: "x" }, effects: { sandbox } }));
    expect(result.eval).toBe("error");
    expect(result.output).toMatchObject({ ok: false, error: "ReferenceError: x is not defined" });
  });

  it("falls back to execute_config.code, then to rendered hook.args.code", async () => {
    const sandbox = new FakeSandbox();
    await run_js(contextFor({ ...task, execute_config: { code: "return 1" } }, { input: "not code", effects: { sandbox } }));
    const fromHook: Task = { ...task, hook: { name: "js", tool_name: "", args: { code: "return {{.input}} * 2" } } };
    await run_js(contextFor(fromHook, { input: 21, effects: { sandbox }, state: { input: 21 } }));

    expect(sandbox.runs.map((run) => run.code)).toEqual(["return 1", "return 21 * 2"]);
  });

  it("fails clearly when there is no code anywhere", async () => {
    const error = await rejectionOf(run_js(contextFor(task, { input: "hello" })));
    expect(error.type).toBe("validation");
    expect(error.message).toContain("has no code");
  });
});
