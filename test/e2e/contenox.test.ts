/** The Contenox-compatible routes: `POST /execute` and `POST /tasks`. */
import { describe, expect, it } from "vitest";
import { api, llm, unique } from "./client";

describe("POST /execute", () => {
  it("answers one prompt with the default model, recorded as a run", async () => {
    const res = await api().post("/execute", { prompt: "hello there" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: expect.any(String), response: "echo: hello there" });
    expect(res.headers.get("x-switchyard-run-id")).toBe(res.body.id);
    const run = await api().get(`/runs/${res.body.id}`);
    expect(run.body).toMatchObject({ chain_id: "execute", status: "succeeded", input: "hello there" });
  });

  it("uses model_name and model_provider", async () => {
    const s = unique("execute-model");
    await llm().script(s, [{ content: "picked" }]);
    const res = await api().post("/execute", { prompt: "x", model_name: s, model_provider: "default" });
    expect(res.body.response).toBe("picked");
    expect(await llm().requests(s)).toHaveLength(1);
  });

  it("rejects a missing prompt and passes a provider failure on", async () => {
    const missing = await api().post("/execute", { model_name: "m" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.path).toBe("prompt");
    const s = unique("execute-down");
    await llm().script(s, [{ status: 503, error: { message: "overloaded" } }]);
    const down = await api().post("/execute", { prompt: "x", model_name: s });
    expect(down.status).toBe(502);
    expect(down.body.error).toMatchObject({ type: "provider_error" });
  });
});

describe("POST /tasks", () => {
  const inline = {
    id: "inline-tasks",
    tasks: [
      { id: "double", handler: "print", print: "{{var:greeting}} {{.input}}", transition: { branches: [{ operator: "default", when: "", goto: "end" }] } },
    ],
  };

  it("runs an inline chain with templateVars and returns output, outputType and the state of every step", async () => {
    const res = await api().post("/tasks", { input: "world", inputType: "string", chain: inline, templateVars: { greeting: "hello" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: expect.any(String), output: "world", outputType: "string" });
    expect(res.body.state).toEqual([
      {
        taskID: "double",
        taskHandler: "print",
        inputType: "string",
        outputType: "string",
        transition: "hello world",
        duration: expect.any(Number),
        error: { error: "" },
        input: "world",
        output: "world",
        retryIndex: 0,
      },
    ]);
  });

  it("reads input by inputType and runs a chain by id", async () => {
    const s = unique("tasks-chat");
    await llm().script(s, [{ content: "Hi back." }]);
    const chain = { id: `tasks-${s}`, tasks: [{ id: "chat", handler: "chat_completion", execute_config: { model: s } }] };
    expect((await api().post("/chains", chain)).status).toBe(201);
    const res = await api().post("/tasks", { input: { messages: [{ role: "user", content: "Hi" }] }, inputType: "chat_history", chain: chain.id });
    expect(res.body.outputType).toBe("chat_history");
    expect(res.body.output.messages.at(-1)).toEqual({ role: "assistant", content: "Hi back." });
    expect(res.body.state[0]).toMatchObject({ taskID: "chat", inputType: "chat_history", outputType: "chat_history" });

    const number = await api().post("/tasks", { input: "41.9", inputType: "int", chain: { id: "n", tasks: [{ id: "a", handler: "noop" }] } });
    expect(number.body).toMatchObject({ output: 41, outputType: "int" });
  });

  it("rejects bad input with the path", async () => {
    const badType = await api().post("/tasks", { input: "x", inputType: "vector", chain: inline });
    expect(badType.status).toBe(400);
    expect(badType.body.error.path).toBe("inputType");
    const notANumber = await api().post("/tasks", { input: "many", inputType: "float", chain: inline });
    expect(notANumber.body.error.path).toBe("input");
    const badChain = await api().post("/tasks", { input: "x", chain: { id: "b", tasks: [{ id: "a", handler: "nope" }] } });
    expect(badChain.body.error.path).toBe("tasks[0].handler");
    expect((await api().post("/tasks", { input: "x", chain: "no-such-chain" })).status).toBe(404);
  });

  it("answers a failed run with its error and the run id", async () => {
    const res = await api().post("/tasks", { input: "x", chain: { id: "fails", tasks: [{ id: "stop", handler: "raise_error", prompt_template: "refused: {{.input}}" }] } });
    expect(res.status).toBe(500);
    expect(res.body.error.message).toContain("refused: x");
    expect(res.headers.get("x-switchyard-run-id")).toBeTruthy();
  });
});
