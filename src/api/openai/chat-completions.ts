/**
 * `POST /v1/chat/completions` and `POST /openai/:chain/v1/chat/completions`: run the chain with
 * the conversation as input and answer as OpenAI would — one `chat.completion`, or with
 * `stream: true` a stream of `chat.completion.chunk` frames. Every answer, errors included,
 * names the run in `x-switchyard-run-id` so its trace can be opened.
 */
import type { Context } from "hono";
import { readConfig } from "../../config";
import type { RunView } from "../../engine/records";
import { runInput } from "../../engine/run-input";
import { runToEnd, startFollowed, wakeAhead, wakeNewRun } from "../../run/start";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { completionObject, completionSchema, type CompletionMeta } from "./completion";
import { openAIErrorBody } from "./errors";
import { RUN_ID_HEADER, requireSucceeded } from "./finished-run";
import { chatCompletionBody, clientTools, requestVars, runMessages } from "./request";
import { answeringTasks, streamCompletion } from "./stream";
import { targetOf } from "./target";
import { IDEMPOTENCY_HEADER, idempotencyHeaders, runIdFor } from "../idempotency";

export const chatCompletionsDoc = describeRoute({
  headers: idempotencyHeaders,
  summary: "Run a chain as an OpenAI chat completion",
  description:
    "On `/v1`, `model` names the chain; on `/openai/{chain}/v1`, the path does and `model` picks the LLM. `x-switchyard-run-id` names the run behind every answer. With `stream: true` the answer is Server-Sent Events of `chat.completion.chunk` objects, then `data: [DONE]`.",
  body: chatCompletionBody,
  responses: {
    200: { description: "The completion (or, with `stream: true`, `text/event-stream` of chunks)", schema: completionSchema },
  },
  errors: [404, 422, 424, 429, 500, 502, 504],
  errorSchema: openAIErrorBody,
});

export async function chatCompletionsRoute(c: Context<AppEnv>): Promise<Response> {
  const request = await readJson(c, chatCompletionBody, "chat completion request");
  // Without an Idempotency-Key the run's id is new, so its object can start up while the chain is read.
  const woken = c.req.header(IDEMPOTENCY_HEADER) === undefined ? wakeNewRun(c.env) : undefined;
  const { resolved, vars } = await targetOf(c, request.model);
  const tools = clientTools(request);
  const runId = woken ?? (await runIdFor(c, request));
  const start = {
    chain: resolved.chain,
    chain_version: resolved.version,
    input: runInput(runMessages(request.messages)),
    vars: { ...vars, ...requestVars(request) },
    client_tools: tools,
    principal: c.get("role"),
    run_id: runId,
  };
  const wakeNext = () => wakeAhead(c.env);
  const meta = (run: RunView): CompletionMeta => ({
    id: `chatcmpl-${run.id}`,
    created: Math.floor(run.created_at / 1000),
    model: request.model,
    clientTools: new Set(tools?.map((t) => t.name)),
  });
  if (!request.stream) {
    const ended = await runToEnd(c.env, start, readConfig(c.env).runWallMs);
    c.header(RUN_ID_HEADER, runId);
    const run = requireSucceeded(ended, runId);
    // Once the answer has left.
    c.executionCtx.waitUntil(new Promise((resolve) => setTimeout(resolve, 0)).then(wakeNext));
    return c.json(completionObject(run, meta(run)));
  }

  const { view, events } = await startFollowed(c.env, start);
  c.header(RUN_ID_HEADER, runId);
  const body = await streamCompletion(runStub(c.env, runId), runId, {
    meta: meta(view),
    events,
    answering: answeringTasks(resolved.chain),
    includeUsage: request.stream_options?.include_usage === true,
    waitMs: readConfig(c.env).runWallMs,
    hangUp: c.req.raw.signal,
    waitUntil: (work) => c.executionCtx.waitUntil(work),
    afterLast: wakeNext,
  });
  return c.body(body, 200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
}
