import { describe, expect, it } from "vitest";
import { parse_key_value } from "../../../src/engine/handlers/parse_key_value";
import { contextFor } from "../fakes";

const task = { id: "fields", handler: "parse_key_value" as const };

describe("parse_key_value", () => {
  it("reads colon and equals lines into an object, skipping other lines", async () => {
    const input = "Here is what I found:\n\nname: Ada Lovelace\n- born = 1815\nrole:   analyst  \nurl: https://example.com/a\n";
    const result = await parse_key_value(contextFor(task, { input }));
    expect(result.output).toEqual({ name: "Ada Lovelace", born: "1815", role: "analyst", url: "https://example.com/a" });
    expect(result.eval).toBe("ok");
  });

  it("reads the last answer of a chat history", async () => {
    const input = { kind: "chat", messages: [{ role: "user", content: "?" }, { role: "assistant", content: "status: done" }] };
    expect((await parse_key_value(contextFor(task, { input }))).output).toEqual({ status: "done" });
  });

  it('evaluates to "empty" when no line has a key', async () => {
    const result = await parse_key_value(contextFor(task, { input: "nothing to see here" }));
    expect(result.output).toEqual({});
    expect(result.eval).toBe("empty");
  });
});
