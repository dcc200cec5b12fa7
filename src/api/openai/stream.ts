/**
 * Streaming chat completions. The run's events are followed as they happen, and every token a
 * `chat_completion` step receives from the provider is passed on as a content delta at once:
 * the client's first token leaves before the provider has sent its last, even though the chain
 * runs in its own Durable Object.
 *
 * Only tokens that can be the answer stream: those of chat turns whose reply is their output
 * (no `output_template`) and that can end the run. A draft that always goes on to another task
 * does not stream. When the final answer is not what the final step streamed (a chain that ends
 * in a transform, say), it follows as one more delta, so the assembled text ends with the
 * answer a non-streaming request returns. Calls to the client's tools come last, with
 * finish_reason "tool_calls".
 *
 * The HTTP status is settled at the first token: a run that fails before it still answers with
 * a real error status (429 with Retry-After, 502, …); one that fails later ends the stream with
 * an OpenAI error frame. A run that starts waiting for a human's approval settles it too, so the
 * client has the headers (the run id) while it waits and can show what needs deciding. A client that hangs up cancels the run, where the runtime reports it
 * (the request's signal, with the `enable_request_signal` compatibility flag, or a cancelled
 * response stream).
 */
import { isEnd } from "../../engine/transitions";
import type { Chain } from "../../engine/chain";
import { ApiError } from "../errors";
import { isTerminal, type RunView } from "../../engine/records";
import type { RunStub } from "../../run/stub";
import { contentChunk, finishChunk, roleChunk, sseData, SSE_DONE, toolCallsChunk, usageChunk } from "./chunks";
import { answerOf, type CompletionMeta } from "./completion";
import { openAIError } from "./errors";
import { requireSucceeded } from "./finished-run";
import { followRun } from "../../run/follow";

type Progress = { kind: "delta"; text: string } | { kind: "waiting" } | { kind: "finished"; run: RunView | undefined; spoken: string };

export interface StreamOptions {
  meta: CompletionMeta;
  /** The run's event stream from its first event, opened with its start. */
  events: ReadableStream<Uint8Array>;
  /** Tasks whose tokens stream (see `answeringTasks`). */
  answering: ReadonlySet<string>;
  includeUsage: boolean;
  /** How long to wait for the run's end if its event stream cannot be followed to it. */
  waitMs: number;
  /** Aborts when the client hangs up (the request's signal, where the runtime provides one). */
  hangUp: AbortSignal;
  /** Keeps work alive after the client has gone (the request's `waitUntil`). */
  waitUntil: (work: Promise<unknown>) => void;
  /** Called once the stream has sent its last frame. */
  afterLast: () => void;
}

/** The SSE body of a streamed completion; throws the HTTP error when the run fails before its first token. */
export async function streamCompletion(stub: RunStub, runId: string, options: StreamOptions): Promise<ReadableStream<Uint8Array>> {
  let finished = false;
  const stop = new AbortController();
  stop.signal.addEventListener("abort", () => finished || options.waitUntil(stub.cancel()), { once: true });
  options.hangUp.addEventListener("abort", () => stop.abort(), { once: true });

  const progress = runProgress(stub, stop.signal, options);
  const first = await progress.next();
  if (first.done) throw new ApiError(500, "internal_error", `The events of run ${runId} ended before it did.`);
  if (first.value.kind === "finished") requireSucceeded(first.value.run, runId);

  const frames = completionFrames(first.value, progress, options, runId, () => (finished = true));
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await frames.next();
      if (next.done) {
        controller.close();
        options.afterLast();
      } else controller.enqueue(encoder.encode(next.value));
    },
    cancel() {
      stop.abort();
    },
  });
}

/**
 * The chat tasks whose reply can be the run's answer. Other handlers (route, prompt_to_*) ask
 * the model for the chain's own use, never for the client.
 */
export function answeringTasks(chain: Chain): Set<string> {
  const answering = chain.tasks.filter((task) => {
    if (task.handler !== "chat_completion" || task.output_template !== undefined) return false;
    const branches = task.transition?.branches ?? [];
    return branches.length === 0 || branches.some((branch) => isEnd(branch.goto));
  });
  return new Set(answering.map((task) => task.id));
}

async function* runProgress(stub: RunStub, signal: AbortSignal, { events, answering, waitMs }: StreamOptions): AsyncGenerator<Progress> {
  // Asked for at once, so the run's end reaches here with its last event, not a round trip later.
  const ended = stub.wait(waitMs, false);
  ended.catch(() => undefined);
  let spoken = "";
  for await (const frame of followRun(stub, signal, events)) {
    if (frame.event === "step.started") spoken = "";
    if (frame.event === "run.waiting") yield { kind: "waiting" };
    const token = frame.event === "token" ? answerToken(frame.data, answering) : undefined;
    if (token) {
      spoken += token;
      yield { kind: "delta", text: token };
    }
  }
  if (signal.aborted) return;
  const run = await ended;
  yield { kind: "finished", run: run && isTerminal(run.status) ? run : await stub.wait(waitMs, false), spoken };
}

function answerToken(data: unknown, answering: ReadonlySet<string>): string | undefined {
  const token = data as { task_id?: unknown; handler?: unknown; delta?: unknown };
  const fromAnswer = token.handler === "chat_completion" && typeof token.task_id === "string" && answering.has(token.task_id);
  return fromAnswer && typeof token.delta === "string" && token.delta !== "" ? token.delta : undefined;
}

async function* completionFrames(first: Progress, rest: AsyncGenerator<Progress>, options: StreamOptions, runId: string, onFinished: () => void): AsyncGenerator<string> {
  const { meta } = options;
  yield sseData(roleChunk(meta));
  try {
    for (let item: Progress | void = first; item; item = (await rest.next()).value) {
      if (item.kind === "delta") {
        yield sseData(contentChunk(meta, item.text));
        continue;
      }
      if (item.kind === "waiting") continue;
      onFinished();
      yield* endFrames(requireSucceeded(item.run, runId), item.spoken, options);
      return;
    }
  } catch (err) {
    const error = err instanceof ApiError ? err : new ApiError(500, "internal_error", `Following run ${runId} failed: ${err instanceof Error ? err.message : String(err)}`);
    yield sseData(openAIError(error));
  }
}

function* endFrames(run: RunView, spoken: string, { meta, includeUsage }: StreamOptions): Generator<string> {
  const answer = answerOf(run.output, meta.clientTools);
  const text = answer.content ?? "";
  const unsent = text.startsWith(spoken) ? text.slice(spoken.length) : text;
  if (unsent) yield sseData(contentChunk(meta, unsent));
  if (answer.tool_calls.length) yield sseData(toolCallsChunk(meta, answer.tool_calls));
  yield sseData(finishChunk(meta, answer.finish_reason));
  if (includeUsage) yield sseData(usageChunk(meta, run.usage));
  yield SSE_DONE;
}
