/**
 * Details of the endpoints a real client meets: OpenAI's `models.retrieve`, `response_format`
 * passed on (and recorded), a clear error for `messages` that is not a list, and 405 with `Allow`
 * for a known path asked with another method — on the API and on the OpenAI routes.
 */
import OpenAI, { BadRequestError, NotFoundError } from "openai";
import { describe, expect, inject, it } from "vitest";
import { api, llm, runSteps, unique } from "./client";

const client = (path = "/v1") => new OpenAI({ baseURL: `${inject("baseUrl")}${path}`, apiKey: inject("apiKey"), maxRetries: 0 });

describe("the OpenAI-compatible endpoint", () => {
  it("retrieves one model by id, and answers 404 in OpenAI's shape for an unknown one", async () => {
    expect(await client().models.retrieve("default-chain")).toMatchObject({ id: "default-chain", object: "model", owned_by: "switchyard" });
    const error = await client().models.retrieve("no-such-chain").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).error).toMatchObject({ type: "invalid_request_error", code: "model_not_found", message: expect.stringContaining("no-such-chain") });
  });

  it("retrieves a provider's model with a slash in its id on a chain's path", async () => {
    const models = await client("/openai/default-chain/v1").models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toContain("default-chain");
    for (const id of ids) expect((await client("/openai/default-chain/v1").models.retrieve(id)).id).toBe(id);
  });

  it("passes response_format on to the provider and records it on the step", async () => {
    const model = unique("format");
    await llm().script(model, [{ content: '{"ok": true}' }]);
    const completion = await client("/openai/default-chain/v1").chat.completions.create({ model, messages: [{ role: "user", content: "as JSON" }], response_format: { type: "json_object" } });
    const [sent] = await llm().requests(model);
    expect(sent!.body.response_format).toEqual({ type: "json_object" });
    const runId = completion.id.replace(/^chatcmpl-/, "");
    const steps = await runSteps(api(), runId);
    expect(steps[0].llm_calls[0].request.response_format).toEqual({ type: "json_object" });
  });

  it("passes image content parts on to the provider as sent, and records them on the step", async () => {
    const model = unique("image");
    const content = [
      { type: "text" as const, text: "What is in this picture?" },
      { type: "image_url" as const, image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
    ];
    const completion = await client("/openai/default-chain/v1").chat.completions.create({ model, messages: [{ role: "user", content }] });
    const [sent] = await llm().requests(model);
    expect((sent!.body.messages as Array<{ role: string; content: unknown }>).at(-1)).toEqual({ role: "user", content });
    const steps = await runSteps(api(), completion.id.replace(/^chatcmpl-/, ""));
    expect(steps[0].llm_calls[0].request.messages.at(-1)).toEqual({ role: "user", content });
  });

  it("says messages must be a list when it is a single value", async () => {
    const error = await client()
      .chat.completions.create({ model: "default-chain", messages: "hi" as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toContain("messages must be an array of chat messages");
  });
});

describe("a known path asked with another method", () => {
  it("is a 405 naming the methods it answers, on the API", async () => {
    const res = await api().raw("DELETE", "/runs");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
    expect(res.body.error).toMatchObject({ type: "method_not_allowed", message: expect.stringContaining("GET, HEAD, POST") });
    expect((await api().raw("PATCH", "/chains/default-chain")).headers.get("allow")).toBe("DELETE, GET, HEAD, PUT");
    expect((await api().get("/no/such/path")).status).toBe(404);
  });

  it("is a 405 in OpenAI's shape on the OpenAI routes", async () => {
    const res = await api().get("/v1/chat/completions");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(res.body.error).toMatchObject({ type: "invalid_request_error", code: "method_not_allowed" });
    expect((await api().raw("POST", "/openai/default-chain/v1/models")).headers.get("allow")).toBe("GET, HEAD");
  });
});
