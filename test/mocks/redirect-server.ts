/**
 * A tiny redirector on 127.0.0.1 for egress tests: `GET /to?url=<target>` answers a redirect
 * (302, or `&status=` one of 301, 302, 303, 307, 308) to the target, so tests can check that a
 * gate re-applies its allow-list to every hop instead of only to the first URL.
 */
import { listenLocal, requestUrl, sendJson } from "./http";

export type RedirectServer = {
  /** The server origin; redirects live at `${url}/to?url=…`. */
  url: string;
  port: number;
  close(): Promise<void>;
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export async function startRedirectServer(options: { port?: number } = {}): Promise<RedirectServer> {
  const server = await listenLocal(async (req, res) => {
    const url = requestUrl(req);
    const target = url.searchParams.get("url");
    const status = Number(url.searchParams.get("status") ?? 302);
    if (url.pathname !== "/to") return sendJson(res, 404, { error: { message: `no route ${url.pathname}` } });
    if (!target || !REDIRECT_STATUSES.has(status)) {
      return sendJson(res, 400, { error: { message: "expected ?url=<target> and an optional redirect status" } });
    }
    res.writeHead(status, { location: target, "content-length": 0 });
    res.end();
  }, options.port);
  return { url: server.origin, port: server.port, close: server.close };
}
