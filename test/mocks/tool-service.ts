/**
 * A mock OpenAPI tool service on 127.0.0.1: it publishes its spec (`/openapi.json`,
 * `/openapi.yaml`, and a 3.0 variant under `/v3.0/`) and serves the operations the spec
 * describes over a deterministic dataset. Every request is recorded in `calls` (and served,
 * credentials and all, on an unauthenticated `/debug/requests`), and an optional required
 * header or query credential (enforced on operations, not on the spec) lets tests prove that
 * credentials are injected at the edge of a call.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { stringify as toYaml } from "yaml";
import { headerRecord, isJsonObject, listenLocal, readJsonOrText, requestUrl, sendJson, sleep } from "./http";
import { unitHash } from "./hash";
import { buildRecords, type DataRecord } from "./tool-records";
import { LIMITS, openApiDocument, type Credential, type OpenApiVersion } from "./tool-spec";

export type ToolServiceOptions = {
  /** 0 or absent picks a free port. */
  port?: number;
  requireHeader?: Credential;
  requireQuery?: Credential;
  /** Dataset size, at least 3; 10,000 by default. */
  records?: number;
};

export type ToolCall = {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON, the raw text when not JSON, undefined when empty. */
  body: unknown;
};

export type ToolService = {
  /** The service origin, e.g. `http://127.0.0.1:PORT`; also the spec's `servers[0].url`. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** Every request received, spec downloads included, in arrival order. */
  calls: ToolCall[];
};

type Published = { contentType: string; text: string };

type State = {
  options: ToolServiceOptions;
  records: DataRecord[];
  bigBody: string;
  calls: ToolCall[];
  published: Map<string, Published>;
  notesCreated: number;
};

/** A caller mistake: answered with 400 and the message. */
class BadRequest extends Error {}

const CONDITIONS = ["sunny", "cloudy", "rain", "snow", "fog", "wind"];

export async function startToolService(options: ToolServiceOptions = {}): Promise<ToolService> {
  const state: State = {
    options,
    records: buildRecords(options.records),
    bigBody: paddedJson(LIMITS.bigBodyBytes),
    calls: [],
    published: new Map(),
    notesCreated: 0,
  };
  const server = await listenLocal((req, res) => handle(req, res, state), options.port);
  // The spec names its own server URL, which exists only once the port is known.
  for (const [prefix, version] of [["", "3.1"], ["/v3.0", "3.0"]] as const) {
    publish(state.published, prefix, version, { ...options, serverUrl: server.origin });
  }
  return { url: server.origin, port: server.port, close: server.close, calls: state.calls };
}

function publish(
  published: Map<string, Published>,
  prefix: string,
  version: OpenApiVersion,
  options: ToolServiceOptions & { serverUrl: string },
): void {
  const document = openApiDocument({ ...options, version });
  published.set(`${prefix}/openapi.json`, { contentType: "application/json", text: JSON.stringify(document, null, 2) });
  published.set(`${prefix}/openapi.yaml`, { contentType: "application/yaml", text: toYaml(document) });
}

async function handle(req: IncomingMessage, res: ServerResponse, state: State): Promise<void> {
  const url = requestUrl(req);
  const body = await readJsonOrText(req);
  state.calls.push({
    method: req.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: headerRecord(req),
    body,
  });

  const document = state.published.get(url.pathname);
  if (req.method === "GET" && document !== undefined) {
    res.writeHead(200, { "content-type": document.contentType, "content-length": Buffer.byteLength(document.text) });
    res.end(document.text);
    return;
  }
  // Like many real services' debug pages: every request so far, credentials included, to anyone who asks.
  if (req.method === "GET" && url.pathname === "/debug/requests") return sendJson(res, 200, state.calls);
  const missing = missingCredential(req, url, state.options);
  if (missing !== undefined) {
    return sendJson(res, 401, { error: { message: `missing or wrong credential: ${missing}` } });
  }

  try {
    await operation(req, res, url, body, state);
  } catch (error) {
    if (!(error instanceof BadRequest)) throw error;
    sendJson(res, 400, { error: { message: error.message } });
  }
}

function missingCredential(req: IncomingMessage, url: URL, options: ToolServiceOptions): string | undefined {
  const { requireHeader, requireQuery } = options;
  if (requireHeader !== undefined && req.headers[requireHeader.name.toLowerCase()] !== requireHeader.value) {
    return `header ${requireHeader.name}`;
  }
  if (requireQuery !== undefined && url.searchParams.get(requireQuery.name) !== requireQuery.value) {
    return `query parameter ${requireQuery.name}`;
  }
  return undefined;
}

async function operation(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: unknown,
  state: State,
): Promise<void> {
  switch (`${req.method} ${url.pathname}`) {
    case "GET /records":
      return sendJson(res, 200, recordPage(url, state.records));
    case "POST /notes":
      return sendJson(res, 201, createNote(req, body, ++state.notesCreated));
    case "GET /weather":
      return sendJson(res, 200, weather(url));
    case "GET /big":
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(state.bigBody) });
      res.end(state.bigBody);
      return;
    case "GET /slow": {
      const ms = integerParam(url, "ms", LIMITS.defaultSlowMs, 0, LIMITS.maxSlowMs);
      await sleep(ms);
      if (!res.destroyed) sendJson(res, 200, { waited_ms: ms });
      return;
    }
    case "GET /fail": {
      const status = integerParam(url, "status", 500, 400, 599);
      return sendJson(res, status, { error: { message: `mock: failing with status ${status} as asked` } });
    }
  }
  const recordId = /^\/records\/([^/]+)$/.exec(url.pathname)?.[1];
  if (req.method === "GET" && recordId !== undefined) {
    // Records are stored in id order starting at 1.
    const record = /^\d+$/.test(recordId) ? state.records[Number(recordId) - 1] : undefined;
    if (record === undefined) return sendJson(res, 404, { error: { message: `no record with id ${recordId}` } });
    return sendJson(res, 200, record);
  }
  sendJson(res, 404, { error: { message: `no operation ${req.method} ${url.pathname}` } });
}

function integerParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadRequest(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function recordPage(url: URL, records: DataRecord[]) {
  const offset = integerParam(url, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = integerParam(url, "limit", LIMITS.defaultPageSize, 1, LIMITS.maxPageSize);
  const end = offset + limit;
  return {
    items: records.slice(offset, end),
    offset,
    limit,
    total: records.length,
    next_offset: end < records.length ? end : null,
  };
}

function createNote(req: IncomingMessage, body: unknown, sequence: number) {
  if (!isJsonObject(body) || typeof body.title !== "string") {
    throw new BadRequest("the body must be a JSON object with a string title");
  }
  const requestId = req.headers["x-request-id"];
  return { ...body, id: `note-${sequence}`, ...(typeof requestId === "string" ? { request_id: requestId } : {}) };
}

function weather(url: URL) {
  const city = url.searchParams.get("city")?.trim();
  if (!city) throw new BadRequest("city is required");
  const key = city.toLowerCase();
  return {
    city,
    temperature_c: Math.floor(unitHash(`temperature:${key}`) * 45) - 10,
    conditions: CONDITIONS[Math.floor(unitHash(`conditions:${key}`) * CONDITIONS.length)] ?? "sunny",
    humidity: 20 + Math.floor(unitHash(`humidity:${key}`) * 80),
  };
}

/** A JSON object whose serialisation is exactly `bytes` long. */
function paddedJson(bytes: number): string {
  const prefix = '{"data":"';
  const suffix = '"}';
  return prefix + "x".repeat(bytes - prefix.length - suffix.length) + suffix;
}
