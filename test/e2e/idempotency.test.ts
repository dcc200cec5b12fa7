/**
 * `Idempotency-Key` on the routes that start runs: a repeat (same key, same API key) gets the run
 * the first request started — even when the repeats race — and the provider is called once; the
 * same key with another request is refused, and another API key's key is its own.
 */
import OpenAI from "openai";
import { describe, expect, inject, it } from "vitest";
import { api, llm, unique } from "./client";

const chatChain = (id: string) => ({ id, tasks: [{ id: "answer", handler: "chat_completion", execute_config: { model: "{{var:model}}" } }] });
const keyed = (key: string) => ({ "idempotency-key": key });

describe("Idempotency-Key", () => {
  it("answers a repeated POST /runs with the first run, marked replayed, and calls the provider once", async () => {
    const model = unique("idem-runs");
    const key = unique("key");
    const body = { chain: chatChain("idem"), input: "hello", vars: { model } };
    const first = await api().post("/runs?wait=true", body, keyed(key));
    const again = await api().post("/runs?wait=true", body, keyed(key));
    expect(first.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await llm().requests(model)).toHaveLength(1);
  });

  it("meets at one run when repeats race each other", async () => {
    const model = unique("idem-race");
    const key = unique("key");
    const body = { chain: chatChain("idem-race"), input: "hello", vars: { model } };
    const answers = await Promise.all(Array.from({ length: 5 }, () => api().post("/runs?wait=true", body, keyed(key))));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await llm().requests(model)).toHaveLength(1);
  });

  it("refuses the same key with another request with a 422, starting nothing", async () => {
    const model = unique("idem-other");
    const key = unique("key");
    await api().post("/runs?wait=true", { chain: chatChain("idem-other"), input: "first", vars: { model } }, keyed(key));
    const other = await api().post("/runs?wait=true", { chain: chatChain("idem-other"), input: "second", vars: { model } }, keyed(key));
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ type: "idempotency_key_reused", path: "Idempotency-Key" });
    expect(await llm().requests(model)).toHaveLength(1);
  });

  it("keeps each API key's keys apart", async () => {
    const model = unique("idem-callers");
    const key = unique("key");
    const body = { chain: chatChain("idem-callers"), input: "hello", vars: { model } };
    const mine = await api().post("/runs?wait=true", body, keyed(key));
    const theirs = await api(inject("baseUrl"), "second-key").post("/runs?wait=true", body, keyed(key));
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(await llm().requests(model)).toHaveLength(2);
  });

  it("refuses a malformed key with a 400 naming the header", async () => {
    const res = await api().post("/runs", { chain: chatChain("idem-bad"), input: "x" }, keyed("has spaces in it"));
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe("Idempotency-Key");
  });

  it("gives a repeated chat completion, streamed or not, the same run and answer, with one provider call", async () => {
    const model = unique("idem-chat");
    await llm().script(model, [{ content: "Only once." }]);
    const client = new OpenAI({ baseURL: `${inject("baseUrl")}/openai/default-chain/v1`, apiKey: inject("apiKey"), maxRetries: 0 });
    const request = { model, messages: [{ role: "user" as const, content: "hi" }] };
    const key = unique("key");
    const first = await client.chat.completions.create(request, { headers: keyed(key) });
    const again = await client.chat.completions.create(request, { headers: keyed(key) });
    expect(again.id).toBe(first.id);
    expect(again.choices[0]?.message.content).toBe("Only once.");

    const streamKey = unique("key");
    const streamed = async () => {
      let text = "";
      for await (const chunk of await client.chat.completions.create({ ...request, stream: true }, { headers: keyed(streamKey) })) text += chunk.choices[0]?.delta?.content ?? "";
      return text;
    };
    await llm().script(model, [{ content: "Streamed once." }]);
    expect(await streamed()).toBe("Streamed once.");
    expect(await streamed()).toBe("Streamed once.");
    expect(await llm().requests(model)).toHaveLength(2);
  });

  it("gives a repeated POST /tasks and POST /execute the same run", async () => {
    const key = unique("key");
    const task = { input: "hello", chain: { id: "idem-task", tasks: [{ id: "t", handler: "noop" }] } };
    const first = await api().post("/tasks", task, keyed(key));
    expect((await api().post("/tasks", task, keyed(key))).body.id).toBe(first.body.id);

    const model = unique("idem-exec");
    const execKey = unique("key");
    const prompt = { prompt: "hi", model_name: model };
    const one = await api().post("/execute", prompt, keyed(execKey));
    expect((await api().post("/execute", prompt, keyed(execKey))).body).toEqual(one.body);
    expect(await llm().requests(model)).toHaveLength(1);
  });
});
