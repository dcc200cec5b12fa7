/**
 * The script of the mock LLM: what each scenario answers, in order, and what it was asked.
 * A scenario is the `model` a request names, so concurrent tests that pick distinct model
 * names never consume each other's replies or see each other's requests.
 */
import { z } from "zod";
import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";

export type MockToolCall = {
  name: string;
  /** An object is sent as its JSON; a string is sent verbatim (so tests can send broken JSON). */
  arguments: unknown;
  id?: string;
};

export type MockReplyData = {
  content?: string;
  tool_calls?: MockToolCall[];
  /** 400 and above answers with an OpenAI-shaped error instead of a completion. */
  status?: number;
  error?: { message: string; type?: string; code?: string };
  headers?: Record<string, string>;
  /** Wait before sending the response headers. */
  delay_ms?: number;
  /** Wait between two frames of a stream. */
  chunk_delay_ms?: number;
  /** How streamed content is split; `content` defaults to these joined. */
  chunks?: string[];
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Overrides the finish reason, which is otherwise "tool_calls" or "stop". */
  finish_reason?: MockFinishReason;
};

export const MOCK_FINISH_REASONS = ["stop", "length", "tool_calls", "content_filter"] as const;
export type MockFinishReason = (typeof MOCK_FINISH_REASONS)[number];

export type ChatRequest = ChatCompletionCreateParams;

export type MockReply = MockReplyData | ((request: ChatRequest) => MockReplyData | Promise<MockReplyData>);

export type ScriptOptions = {
  /** Once the replies run out, keep answering with the last one instead of failing. */
  repeat?: boolean;
};

/** One write of a response body, so tests can compare when a frame left with when it arrived. */
export type SentFrame = { at: number; data: string };

export type RecordedRequest = {
  scenario: string;
  path: string;
  /** The JSON body exactly as received. */
  body: Record<string, unknown>;
  headers: Record<string, string>;
  /** Epoch milliseconds when the request was read. */
  at: number;
  sent: SentFrame[];
};

/** Strict, so a misspelt field in a script sent over HTTP fails at scripting time, not later. */
export const replyDataSchema = z.strictObject({
  content: z.string().optional(),
  tool_calls: z
    .array(z.strictObject({ name: z.string().min(1), arguments: z.unknown(), id: z.string().optional() }))
    .optional(),
  status: z.int().min(200).max(599).optional(),
  error: z
    .strictObject({ message: z.string(), type: z.string().optional(), code: z.string().optional() })
    .optional(),
  headers: z.record(z.string(), z.string()).optional(),
  delay_ms: z.number().min(0).optional(),
  chunk_delay_ms: z.number().min(0).optional(),
  chunks: z.array(z.string()).optional(),
  usage: z.strictObject({ prompt_tokens: z.int().min(0), completion_tokens: z.int().min(0) }).optional(),
  finish_reason: z.enum(MOCK_FINISH_REASONS).optional(),
}) satisfies z.ZodType<MockReplyData>;

export const scriptBodySchema = z.strictObject({
  replies: z.array(replyDataSchema),
  repeat: z.boolean().optional(),
});

export type NextReply =
  | { kind: "scripted"; reply: MockReply }
  | { kind: "exhausted" }
  | { kind: "unscripted" };

type Script = { replies: MockReply[]; taken: number; repeat: boolean };

export class ScenarioBook {
  #scripts = new Map<string, Script>();
  #requests: RecordedRequest[] = [];

  /** Replaces the scenario's script; replies are consumed in order. */
  script(scenario: string, replies: MockReply[], options: ScriptOptions = {}): void {
    this.#scripts.set(scenario, { replies: [...replies], taken: 0, repeat: options.repeat ?? false });
  }

  next(scenario: string): NextReply {
    const script = this.#scripts.get(scenario);
    if (script === undefined) return { kind: "unscripted" };
    const index = script.repeat ? Math.min(script.taken, script.replies.length - 1) : script.taken;
    const reply = script.replies[index];
    if (reply === undefined) return { kind: "exhausted" };
    script.taken += 1;
    return { kind: "scripted", reply };
  }

  /** Stores the entry and returns it, so the server can append the frames it sends. */
  record(entry: RecordedRequest): RecordedRequest {
    this.#requests.push(entry);
    return entry;
  }

  requests(scenario?: string): RecordedRequest[] {
    const matching = this.#requests.filter((entry) => scenario === undefined || entry.scenario === scenario);
    return structuredClone(matching);
  }

  scenarios(): string[] {
    return [...this.#scripts.keys()];
  }

  reset(): void {
    this.#scripts.clear();
    this.#requests = [];
  }
}
