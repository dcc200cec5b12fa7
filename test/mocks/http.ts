/**
 * Plumbing shared by the mock servers: bind a node:http handler to 127.0.0.1 (port 0 picks a
 * free one), read request bodies, answer JSON, and close without waiting for keep-alive
 * sockets. Mocks never listen beyond loopback: tests must not reach or expose a real network.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export type LocalServer = {
  port: number;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  origin: string;
  close(): Promise<void>;
};

export async function listenLocal(handler: Handler, port = 0): Promise<LocalServer> {
  // noDelay: stream frames must leave as soon as they are written, not when Nagle decides.
  const server = createServer({ noDelay: true }, (req, res) => {
    res.on("error", () => {});
    handler(req, res).catch((error: unknown) => failRequest(res, error));
  });
  // As a provider's load balancer would: idle keep-alive sockets outlive a client's pool (node's
  // 5 s default races workerd reusing one, which the runtime sees as a connection error), and a
  // burst of hundreds of connections waits in the backlog instead of being refused.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host: "127.0.0.1", backlog: 4096 }, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("mock: server has no TCP address");
  return {
    port: address.port,
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A handler that throws is a bug in a mock or a scripted reply: say so in the response. */
function failRequest(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  sendJson(res, 500, { error: { message: `mock: ${message}`, type: "mock_error" } });
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

/** The body parsed as JSON, or its raw text when it is not JSON; undefined when empty. */
export async function readJsonOrText(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Request headers as a plain record; node already lower-cases the names. */
export function headerRecord(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? "/", "http://127.0.0.1");
}

/** Unref'd, so a scripted delay still pending when a test run ends does not hold the process open. */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms).unref()) : Promise.resolve();
}
