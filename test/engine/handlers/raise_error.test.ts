import { describe, expect, it } from "vitest";
import { raise_error } from "../../../src/engine/handlers/raise_error";
import { contextFor, rejectionOf } from "../fakes";

const task = { id: "bail", handler: "raise_error" as const };

describe("raise_error", () => {
  it("fails with the rendered prompt as its message, never retryable", async () => {
    const error = await rejectionOf(raise_error(contextFor(task, { prompt: "order 42 could not be shipped", input: "ignored" })));
    expect(error.type).toBe("raised");
    expect(error.message).toBe("order 42 could not be shipped");
    expect(error.options.retryable).toBe(false);
  });

  it("uses the input as the message when there is no prompt (the failed task's error via on_failure)", async () => {
    const error = await rejectionOf(raise_error(contextFor(task, { input: "provider answered HTTP 503" })));
    expect(error.message).toBe("provider answered HTTP 503");
  });

  it("falls back to a message naming the task when there is nothing to say", async () => {
    const error = await rejectionOf(raise_error(contextFor(task, { input: "" })));
    expect(error.message).toBe('task "bail" raised an error');
  });
});
