import { describe, expect, it } from "vitest";
import { embedding } from "../../../src/engine/handlers/embedding";
import type { Task } from "../../../src/engine/chain";
import { FakeEmbeddings, contextFor, rejectionOf } from "../fakes";

const embed: Task = { id: "embed", handler: "embedding", execute_config: { model: "vec-small" } };

describe("embedding", () => {
  it("embeds the input text with the task's model and passes vectors, model, dimensions and usage on", async () => {
    const embeddings = new FakeEmbeddings();
    const result = await embedding(contextFor(embed, { input: "hello", provider: "edge", model: "chat-model", effects: { embeddings } }));
    expect(embeddings.requests).toEqual([{ input: ["hello"], model: "vec-small", provider: "edge" }]);
    expect(result.output).toEqual({ vectors: [[5, 104]], model: "vec-small", dimensions: 2, usage: { prompt_tokens: 2, total_tokens: 2 } });
    expect(result.eval).toBe("executed");
    expect(result.usage).toEqual({ prompt_tokens: 2, completion_tokens: 0, total_tokens: 2 });
  });

  it("embeds each string of a list, or the rendered prompt, and leaves the model to the pool when the task names none", async () => {
    const embeddings = new FakeEmbeddings();
    const bare: Task = { id: "embed", handler: "embedding", execute_config: { dimensions: 64, routing: "least_latency" } };
    await embedding(contextFor(bare, { input: ["a", "bb"], model: "chat-model", effects: { embeddings } }));
    await embedding(contextFor(bare, { input: { ignored: true }, prompt: "rendered", effects: { embeddings } }));
    expect(embeddings.requests).toEqual([
      { input: ["a", "bb"], dimensions: 64, routing: "least_latency" },
      { input: ["rendered"], dimensions: 64, routing: "least_latency" },
    ]);
  });

  it("refuses to embed nothing, and dimensions that are not a positive integer", async () => {
    expect((await rejectionOf(embedding(contextFor(embed, { input: "" })))).type).toBe("validation");
    const bad: Task = { ...embed, execute_config: { dimensions: "wide" } };
    expect((await rejectionOf(embedding(contextFor(bad, { input: "x" })))).message).toContain("dimensions must be a positive integer");
  });
});
