import { describe, expect, it } from "vitest";
import { thrown } from "./fakes";
import { countMessageTokens, estimateTokens, fitToTokenLimit } from "../../src/engine/tokens";
import type { ChatMessage } from "../../src/engine/chat";

const system: ChatMessage = { role: "system", content: "You are a careful assistant." };
const user = (text: string): ChatMessage => ({ role: "user", content: text });
const assistant = (text: string): ChatMessage => ({ role: "assistant", content: text });
const callTools = (...ids: string[]): ChatMessage => ({
  role: "assistant",
  content: null,
  tool_calls: ids.map((id) => ({ id, type: "function", function: { name: "weather", arguments: `{"city":"${id}"}` } })),
});
const toolResult = (id: string): ChatMessage => ({ role: "tool", tool_call_id: id, content: `result for ${id}, quite long text` });

const conversation: ChatMessage[] = [
  system,
  user("first question about the weather in several cities"),
  assistant("first answer, which is reasonably long as well"),
  user("second question"),
  callTools("oslo", "rome"),
  toolResult("oslo"),
  toolResult("rome"),
  assistant("Oslo is cold and Rome is warm."),
  user("thanks, and tomorrow?"),
];

/** Every tool result follows the call that asked for it and every call has all its results. */
function toolPairsIntact(messages: ChatMessage[]): boolean {
  return messages.every((message, index) => {
    if (message.role === "tool") {
      const caller = messages.slice(0, index).findLast((m) => m.role !== "tool");
      return caller?.tool_calls?.some((call) => call.id === message.tool_call_id) === true;
    }
    const ids = message.tool_calls?.map((call) => call.id) ?? [];
    const results = messages.slice(index + 1, index + 1 + ids.length).map((m) => m.tool_call_id);
    return ids.every((id) => results.includes(id));
  });
}

describe("estimateTokens", () => {
  it("counts about four Latin characters per token", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(1);
    expect(estimateTokens("abcde")).toBe(2);
    expect(estimateTokens("a".repeat(400))).toBe(100);
  });

  it("counts each CJK character as a token", () => {
    expect(estimateTokens("你好世界")).toBe(4);
    expect(estimateTokens("こんにちは")).toBe(5);
    expect(estimateTokens("안녕")).toBe(2);
    expect(estimateTokens("hello 世界")).toBe(2 + 2);
  });

  it("counts characters, not UTF-16 units", () => {
    expect(estimateTokens("😀😀😀😀")).toBe(1);
  });
});

describe("countMessageTokens", () => {
  it("adds per-message framing and reply priming", () => {
    expect(countMessageTokens([])).toBe(0);
    expect(countMessageTokens([user("abcd")])).toBe(3 + 3 + 1);
    expect(countMessageTokens([user("abcd"), user("abcd")])).toBe(3 + 2 * (3 + 1));
    expect(countMessageTokens([{ ...user("abcd"), name: "bob" }])).toBe(3 + 3 + 1 + 1 + 1);
  });

  it("counts tool call arguments and text parts", () => {
    const small = callTools("a");
    const large: ChatMessage = {
      ...small,
      tool_calls: [{ id: "a", type: "function", function: { name: "weather", arguments: JSON.stringify({ q: "x".repeat(400) }) } }],
    };
    expect(countMessageTokens([large]) - countMessageTokens([small])).toBeGreaterThanOrEqual(98);
    expect(countMessageTokens([{ role: "user", content: [{ type: "text", text: "abcd" }, { type: "text", text: "efgh" }] }])).toBe(
      3 + 3 + 2,
    );
    expect(countMessageTokens([{ role: "user", content: [{ type: "image_url", image_url: { url: "data:..." } }] }])).toBe(3 + 3 + 85);
  });
});

describe("fitToTokenLimit", () => {
  const total = countMessageTokens(conversation);

  it("returns the messages unchanged when they fit", () => {
    expect(fitToTokenLimit(conversation, total, "truncate")).toEqual(conversation);
    expect(fitToTokenLimit(conversation, total, "fail")).toEqual(conversation);
  });

  it("drops the oldest non-system message first", () => {
    const fitted = fitToTokenLimit(conversation, total - 1, "truncate");
    expect(fitted).toEqual([system, ...conversation.slice(2)]);
  });

  it("drops a tool call together with its results", () => {
    const withoutToolTurn = [system, ...conversation.slice(7)];
    const fitted = fitToTokenLimit(conversation, countMessageTokens(withoutToolTurn), "truncate");
    expect(fitted).toEqual(withoutToolTurn);
  });

  it("keeps a tool call and its results together when they are the newest turn", () => {
    const history = [system, user("look it up"), callTools("oslo"), toolResult("oslo")];
    const newest = [system, ...history.slice(2)];
    expect(fitToTokenLimit(history, countMessageTokens(newest), "truncate")).toEqual(newest);
    expect(thrown(() => fitToTokenLimit(history, countMessageTokens(newest) - 1, "truncate")).type).toBe("token_limit_exceeded");
  });

  it("never leaves a tool result or tool call orphaned, whatever the limit", () => {
    const minimum = countMessageTokens([system, conversation.at(-1) as ChatMessage]);
    for (let limit = minimum; limit <= total; limit += 1) {
      const fitted = fitToTokenLimit(conversation, limit, "truncate");
      expect(countMessageTokens(fitted)).toBeLessThanOrEqual(limit);
      expect(fitted[0]).toBe(system);
      expect(fitted.at(-1)).toBe(conversation.at(-1));
      expect(toolPairsIntact(fitted)).toBe(true);
    }
  });

  it("keeps system messages wherever they are", () => {
    const late: ChatMessage = { role: "system", content: "Answer in French." };
    const history = [system, user("a".repeat(200)), late, user("b".repeat(200)), user("now")];
    const fitted = fitToTokenLimit(history, countMessageTokens([system, late, user("now")]), "truncate");
    expect(fitted).toEqual([system, late, user("now")]);
  });

  it("fails when even the system messages and the newest message do not fit, with the counts", () => {
    const minimum = countMessageTokens([system, conversation.at(-1) as ChatMessage]);
    const error = thrown(() => fitToTokenLimit(conversation, minimum - 1, "truncate"));
    expect(error.type).toBe("token_limit_exceeded");
    expect(error.message).toContain(`~${minimum} tokens`);
    expect(error.message).toContain(`token_limit of ${minimum - 1}`);
    expect(error.message).toContain(`~${total}`);
  });

  it("fails instead of trimming in fail mode", () => {
    const error = thrown(() => fitToTokenLimit(conversation, total - 1, "fail"));
    expect(error.type).toBe("token_limit_exceeded");
    expect(error.message).toContain(`~${total} tokens`);
    expect(error.message).toContain(`token_limit of ${total - 1}`);
  });
});
