/**
 * A scripted OpenAI-compatible server for tests and benches, on 127.0.0.1 only. It speaks the
 * real wire protocol (`/v1/chat/completions` with and without SSE streaming, `/v1/models`,
 * `/v1/embeddings`, and Ollama's `/api/tags` and `/api/show` for model discovery) and answers
 * each request from the script of its scenario, the request's `model`. Scripts are set in process (`script()`) or over HTTP under `/__mock/`, because the
 * server may live in vitest's globalSetup while the tests run elsewhere (see llm-control.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { EmbeddingCreateParams } from "openai/resources/embeddings";
import { headerRecord, isJsonObject, listenLocal, readJsonOrText, requestUrl, sendJson, sleep } from "./http";
import { asksForProgram, programFor } from "./llm-code-writer";
import { embeddingList } from "./llm-embeddings";
import { mockModelsSchema, ollamaShow, ollamaTags, openAiModelList, type MockModel } from "./llm-models";
import {
  ScenarioBook,
  scriptBodySchema,
  type ChatRequest,
  type MockReply,
  type MockReplyData,
  type NextReply,
  type RecordedRequest,
  type ScriptOptions,
} from "./llm-script";
import { completionObject, errorBody, lastUserText, SSE_DONE, sseFrame, streamChunks, toAnswer } from "./llm-wire";

export type MockLLMOptions = {
  /** 0 or absent picks a free port. */
  port?: number;
  /** When set, `/v1/*` requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
};

export type MockLLM = {
  /** The OpenAI base URL, e.g. `http://127.0.0.1:PORT/v1`. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** Replaces the scenario's script; replies are consumed in order. */
  script(scenario: string, replies: MockReply[], options?: ScriptOptions): void;
  /** Replaces the models listed with details (context length, capabilities) besides every scenario. */
  models(models: MockModel[]): void;
  requests(scenario?: string): RecordedRequest[];
  reset(): void;
};

/** Always listed by `/v1/models`, next to every scripted scenario. */
export const DEFAULT_MODEL = "mock-model";

type Context = { book: ScenarioBook; models: MockModel[]; apiKey: string | undefined; nextId: (prefix: string) => string };

export async function startMockLLM(options: MockLLMOptions = {}): Promise<MockLLM> {
  let issued = 0;
  const context: Context = {
    book: new ScenarioBook(),
    models: [],
    apiKey: options.apiKey,
    nextId: (prefix) => `${prefix}${++issued}`,
  };
  const server = await listenLocal((req, res) => route(req, res, context), options.port);
  return {
    url: `${server.origin}/v1`,
    port: server.port,
    close: server.close,
    script: (scenario, replies, scriptOptions) => context.book.script(scenario, replies, scriptOptions),
    models: (models) => (context.models = [...models]),
    requests: (scenario) => context.book.requests(scenario),
    reset: () => {
      context.book.reset();
      context.models = [];
    },
  };
}

async function route(req: IncomingMessage, res: ServerResponse, context: Context): Promise<void> {
  const url = requestUrl(req);
  if (url.pathname.startsWith("/__mock/")) return control(req, res, url, context);
  if (context.apiKey !== undefined && req.headers.authorization !== `Bearer ${context.apiKey}`) {
    const body = errorBody(401, { message: "mock: missing or incorrect API key", code: "invalid_api_key" });
    return sendJson(res, 401, body);
  }
  switch (`${req.method} ${url.pathname}`) {
    case "POST /v1/chat/completions":
      return chatCompletion(req, res, context);
    case "POST /v1/embeddings":
      return embeddings(req, res, context);
    case "GET /v1/models":
      return sendJson(res, 200, openAiModelList([DEFAULT_MODEL, ...context.book.scenarios()], context.models));
    case "GET /api/tags":
      return sendJson(res, 200, ollamaTags([DEFAULT_MODEL, ...context.book.scenarios()], context.models));
    case "POST /api/show": {
      const body = await readJsonOrText(req);
      const model = isJsonObject(body) && typeof body.model === "string" ? body.model : "";
      return sendJson(res, 200, ollamaShow(model, context.models));
    }
    default:
      return sendJson(res, 404, errorBody(404, { message: `mock: no route ${req.method} ${url.pathname}` }));
  }
}

async function chatCompletion(req: IncomingMessage, res: ServerResponse, context: Context): Promise<void> {
  const body = await readJsonOrText(req);
  if (!isJsonObject(body) || typeof body.model !== "string" || !Array.isArray(body.messages)) {
    const message = "mock: expected a JSON body with a string `model` and a `messages` array";
    return sendJson(res, 400, errorBody(400, { message }));
  }
  // Checked just above for the fields the mock relies on; the rest is the client's business.
  const request = body as unknown as ChatRequest;
  const record = recordRequest(req, context.book, request.model, body);
  const reply = await replyFor(context.book.next(request.model), request);
  await sleep(reply.delay_ms ?? 0);

  const status = reply.status ?? (reply.error === undefined ? 200 : 500);
  if (status >= 400) return respondJson(res, record, status, errorBody(status, reply.error), reply.headers);

  const answer = toAnswer(reply, request, () => context.nextId("call_mock_"));
  const meta = { id: context.nextId("chatcmpl-mock-"), created: Math.floor(Date.now() / 1000), model: request.model };
  if (request.stream !== true) return respondJson(res, record, status, completionObject(answer, meta), reply.headers);

  const includeUsage = request.stream_options?.include_usage === true;
  const frames = [...streamChunks(answer, meta, includeUsage).map(sseFrame), SSE_DONE];
  res.writeHead(status, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...reply.headers,
  });
  res.flushHeaders();
  for (const [index, frame] of frames.entries()) {
    if (index > 0) await sleep(reply.chunk_delay_ms ?? 0);
    if (res.destroyed) return;
    sendFrame(res, record, frame);
  }
  res.end();
}

async function replyFor(next: NextReply, request: ChatRequest): Promise<MockReplyData> {
  switch (next.kind) {
    case "unscripted":
      return { content: asksForProgram(request) ? programFor(request) : `echo: ${lastUserText(request)}` };
    case "exhausted":
      return {
        status: 500,
        error: { message: `mock: no scripted reply left for scenario ${request.model}`, type: "mock_error" },
      };
    case "scripted":
      return typeof next.reply === "function" ? next.reply(request) : next.reply;
  }
}

async function embeddings(req: IncomingMessage, res: ServerResponse, context: Context): Promise<void> {
  const body = await readJsonOrText(req);
  if (!isJsonObject(body) || typeof body.model !== "string" || !isEmbeddingInput(body.input)) {
    const message = "mock: expected a JSON body with a string `model` and a non-empty `input`";
    return sendJson(res, 400, errorBody(400, { message }));
  }
  const record = recordRequest(req, context.book, body.model, body);
  respondJson(res, record, 200, embeddingList(body as unknown as EmbeddingCreateParams));
}

function isEmbeddingInput(input: unknown): boolean {
  return typeof input === "string" || (Array.isArray(input) && input.length > 0);
}

function recordRequest(
  req: IncomingMessage,
  book: ScenarioBook,
  scenario: string,
  body: Record<string, unknown>,
): RecordedRequest {
  const path = requestUrl(req).pathname;
  return book.record({ scenario, path, body, headers: headerRecord(req), at: Date.now(), sent: [] });
}

/** Every body write goes through here, so a recorded request carries its send log. */
function sendFrame(res: ServerResponse, record: RecordedRequest, data: string): void {
  res.write(data);
  record.sent.push({ at: Date.now(), data });
}

function respondJson(
  res: ServerResponse,
  record: RecordedRequest,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  sendFrame(res, record, text);
  res.end();
}

const SCENARIO_ROUTE = "/__mock/scenarios/";

async function control(req: IncomingMessage, res: ServerResponse, url: URL, context: Context): Promise<void> {
  const { book } = context;
  if (req.method === "POST" && url.pathname.startsWith(SCENARIO_ROUTE)) {
    const scenario = decodeURIComponent(url.pathname.slice(SCENARIO_ROUTE.length));
    const parsed = scriptBodySchema.safeParse(await readJsonOrText(req));
    if (scenario === "" || !parsed.success) {
      const problem = parsed.success ? "the scenario name is empty" : z.prettifyError(parsed.error);
      return sendJson(res, 400, { error: { message: `mock: bad script: ${problem}`, type: "mock_error" } });
    }
    book.script(scenario, parsed.data.replies, { repeat: parsed.data.repeat });
    return sendJson(res, 200, { scenario, replies: parsed.data.replies.length, repeat: parsed.data.repeat ?? false });
  }
  if (req.method === "GET" && url.pathname === "/__mock/requests") {
    return sendJson(res, 200, book.requests(url.searchParams.get("scenario") ?? undefined));
  }
  if (req.method === "POST" && url.pathname === "/__mock/models") {
    const parsed = mockModelsSchema.safeParse(await readJsonOrText(req));
    if (!parsed.success) return sendJson(res, 400, { error: { message: `mock: bad models: ${z.prettifyError(parsed.error)}`, type: "mock_error" } });
    context.models = parsed.data.models;
    return sendJson(res, 200, { models: context.models.length });
  }
  if (req.method === "POST" && url.pathname === "/__mock/reset") {
    book.reset();
    context.models = [];
    return sendJson(res, 200, { reset: true });
  }
  const message = `mock: no control route ${req.method} ${url.pathname}`;
  return sendJson(res, 404, { error: { message, type: "mock_error" } });
}
