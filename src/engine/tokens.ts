/**
 * Token estimates for keeping a conversation under a chain's `token_limit`, and the trimming
 * that does it. These are estimates, not counts: a real tokenizer (tiktoken's tables are
 * megabytes) would dwarf the rest of the Worker bundle, and every provider tokenizes
 * differently anyway. The rules, chosen to err on the high side for typical text:
 * - about 4 characters per token for Latin-script text (OpenAI's rule of thumb for English);
 * - one token per CJK character (Han, kana, Hangul), which such tokenizers rarely merge;
 * - per message, 3 tokens of framing plus 1 for a `name`, as OpenAI's cookbook counts chat
 *   messages, plus 3 for priming the reply once per request;
 * - tool calls count their function name and JSON arguments, tool results their call id;
 * - an image part counts 85 tokens (OpenAI's low-detail image price).
 */

import type { ChatMessage, ContentPart } from "./chat";
import { EngineError } from "./errors";

const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const TOKENS_PER_TOOL_CALL = 3;
const REPLY_PRIMING_TOKENS = 3;
const TOKENS_PER_IMAGE = 85;
const CHARS_PER_TOKEN = 4;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export function estimateTokens(text: string): number {
  let cjk = 0;
  let other = 0;
  for (const char of text) {
    if (CJK.test(char)) cjk += 1;
    else other += 1;
  }
  return cjk + Math.ceil(other / CHARS_PER_TOKEN);
}

/** Estimated prompt tokens of a whole request's messages. */
export function countMessageTokens(messages: ChatMessage[]): number {
  if (messages.length === 0) return 0;
  return messages.reduce((total, message) => total + messageTokens(message), REPLY_PRIMING_TOKENS);
}

/**
 * `messages` trimmed to fit `limit`: every system message stays, and whole turns are dropped
 * from the oldest on. An assistant message that calls tools and the tool results answering it
 * are one turn, so no result is left without its call and no call without its results.
 * Throws `token_limit_exceeded` when the messages do not fit and `mode` is "fail", or when the
 * system messages and the newest turn alone are already over the limit.
 */
export function fitToTokenLimit(messages: ChatMessage[], limit: number, mode: "truncate" | "fail"): ChatMessage[] {
  const total = countMessageTokens(messages);
  if (total <= limit) return messages;
  if (mode === "fail") {
    throw new EngineError(
      "token_limit_exceeded",
      `the conversation needs ~${total} tokens, over the token_limit of ${limit} (on_token_limit is "fail")`,
    );
  }

  const turns = groupTurns(messages);
  const dropped = new Set<number>();
  let remaining = total;
  for (const turn of turns.slice(0, -1)) {
    if (remaining <= limit) break;
    for (const index of turn) dropped.add(index);
    remaining -= turn.reduce((sum, index) => sum + messageTokens(messages[index] as ChatMessage), 0);
  }
  if (remaining > limit) {
    throw new EngineError(
      "token_limit_exceeded",
      `the system messages and the newest turn alone need ~${remaining} tokens, over the token_limit of ${limit} (the whole conversation needs ~${total})`,
    );
  }
  return messages.filter((_message, index) => !dropped.has(index));
}

/** Indexes of the non-system messages, grouped into turns that must be dropped together. */
function groupTurns(messages: ChatMessage[]): number[][] {
  const turns: number[][] = [];
  messages.forEach((message, index) => {
    if (message.role === "system") return;
    const current = turns.at(-1);
    const opener = current?.[0] === undefined ? undefined : messages[current[0]];
    // Tool results join the assistant message that asked for them (or, if orphaned already, each other).
    if (message.role === "tool" && current && (opener?.tool_calls?.length || opener?.role === "tool")) {
      current.push(index);
    } else {
      turns.push([index]);
    }
  });
  return turns;
}

function messageTokens(message: ChatMessage): number {
  let tokens = TOKENS_PER_MESSAGE + contentTokens(message.content);
  if (message.name) tokens += TOKENS_PER_NAME + estimateTokens(message.name);
  if (message.tool_call_id) tokens += estimateTokens(message.tool_call_id);
  for (const call of message.tool_calls ?? []) {
    tokens += TOKENS_PER_TOOL_CALL + estimateTokens(call.function.name) + estimateTokens(call.function.arguments);
  }
  return tokens;
}

function contentTokens(content: string | ContentPart[] | null): number {
  if (typeof content === "string" || content === null) return estimateTokens(content ?? "");
  return content.reduce((sum, part) => sum + partTokens(part), 0);
}

function partTokens(part: ContentPart): number {
  if (part.type === "text" && typeof part.text === "string") return estimateTokens(part.text);
  if (part.type === "image_url") return TOKENS_PER_IMAGE;
  return estimateTokens(JSON.stringify(part));
}
