import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { gateFetch, httpFetch } from "../../src/egress/fetch";
import type { EgressOptions } from "../../src/egress/fetch";
import { parseAllowList } from "../../src/egress/policy";

/** What each test server saw, so tests can tell whether a refused request ever left. */
const hits: { server: string; method: string; url: string; authorization?: string; body: string }[] = [];

function testServer(name: string): Server {
  return createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    hits.push({ server: name, method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
    const url = new URL(req.url!, "http://x");
    if (url.pathname === "/redirect") {
      res.writeHead(Number(url.searchParams.get("status") ?? 302), { location: url.searchParams.get("to")! });
      return res.end();
    }
    if (url.pathname === "/loop") {
      res.writeHead(302, { location: "/loop" });
      return res.end();
    }
    if (url.pathname === "/big") return res.end("b".repeat(5000));
    if (url.pathname === "/hang") return; // never answers
    if (url.pathname === "/missing") {
      res.writeHead(404, "Not Found", { "content-type": "text/plain" });
      return res.end("nope");
    }
    res.writeHead(200, "OK", { "content-type": "application/json", "X-Custom": "Yes" });
    res.end(JSON.stringify({ server: name, method: req.method, path: req.url, type: req.headers["content-type"] ?? null, body }));
  });
}

const servers = { a: testServer("a"), b: testServer("b") };
let a = "";
let b = "";

beforeAll(async () => {
  for (const server of Object.values(servers)) await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  a = `http://127.0.0.1:${(servers.a.address() as AddressInfo).port}`;
  b = `http://127.0.0.1:${(servers.b.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const server of Object.values(servers)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
beforeEach(() => {
  hits.length = 0;
});

function options(allow: string[], only?: string[], overrides: Partial<EgressOptions> = {}): EgressOptions {
  return {
    policy: { allow: parseAllowList(allow).entries, ...(only ? { only: parseAllowList(only).entries } : {}) },
    timeoutMs: 5_000,
    maxResponseBytes: 1_000_000,
    maxRequestBytes: 1_000_000,
    ...overrides,
  };
}
const hostOf = (base: string) => base.replace("http://", "");
const both = () => options([hostOf(a), hostOf(b)]);

describe("httpFetch", () => {
  it("fetches an allowed URL into the sandbox result shape", async () => {
    const result = await httpFetch(`${a}/hello?x=1`, undefined, both());
    expect(result).toEqual({
      ok: true,
      status: 200,
      statusText: "OK",
      url: `${a}/hello?x=1`,
      headers: expect.objectContaining({ "content-type": "application/json", "x-custom": "Yes" }),
      body: JSON.stringify({ server: "a", method: "GET", path: "/hello?x=1", type: null, body: "" }),
    });
  });

  it("returns an HTTP error status as a completed exchange, not an error", async () => {
    expect(await httpFetch(`${a}/missing`, undefined, both())).toMatchObject({ ok: false, status: 404, statusText: "Not Found", body: "nope" });
  });

  it("refuses a loopback URL the allow-list does not name, without sending anything", async () => {
    const result = await httpFetch(`${a}/hello`, undefined, options([]));
    expect(result).toEqual({
      ok: false,
      status: 0,
      statusText: "",
      url: `${a}/hello`,
      headers: {},
      body: "",
      error: "egress refused: 127.0.0.1 is a loopback address, refused unless EGRESS_ALLOW names it",
    });
    expect(hits).toEqual([]);
  });

  it("refuses the allowed host on a port the allow-list does not name", async () => {
    const result = await httpFetch(`${b}/hello`, undefined, options([hostOf(a)]));
    expect(result.error).toMatch(/^egress refused: 127\.0\.0\.1 is a loopback address/);
    expect(hits).toEqual([]);
  });

  it("follows a redirect to an allowed URL", async () => {
    const result = await httpFetch(`${a}/redirect?to=${encodeURIComponent(`${b}/landed`)}`, undefined, both());
    expect(result).toMatchObject({ ok: true, url: `${b}/landed` });
    expect(JSON.parse(result.body)).toMatchObject({ server: "b", path: "/landed" });
  });

  it("re-checks every redirect hop: a redirect to the metadata address is refused", async () => {
    const start = `${a}/redirect?to=${encodeURIComponent("http://169.254.169.254/latest/meta-data/")}`;
    const result = await httpFetch(start, undefined, both());
    expect(result).toMatchObject({ ok: false, status: 0, url: "http://169.254.169.254/latest/meta-data/" });
    expect(result.error).toBe(
      `egress refused (redirect 1 from ${start}): 169.254.169.254 is a link-local address (where cloud metadata services live), refused unless EGRESS_ALLOW names it`,
    );
  });

  it("re-checks every redirect hop: a redirect to a loopback port not on the allow-list is refused", async () => {
    const result = await httpFetch(`${a}/redirect?to=${encodeURIComponent(`${b}/x`)}`, undefined, options([hostOf(a)]));
    expect(result.error).toMatch(/^egress refused \(redirect 1 from .*\): 127\.0\.0\.1 is a loopback address/);
    expect(hits.map((h) => h.server)).toEqual(["a"]);
  });

  it("applies the chain allow-list to redirect targets", async () => {
    const result = await httpFetch(`${a}/redirect?to=${encodeURIComponent(`${b}/x`)}`, undefined, options([hostOf(a), hostOf(b)], [hostOf(a)]));
    expect(result.error).toMatch(/^egress refused \(redirect 1 from .*\): 127\.0\.0\.1 is not in this chain's egress allow-list/);
  });

  it("gives up after five redirects", async () => {
    const result = await httpFetch(`${a}/loop`, undefined, both());
    expect(result.error).toBe(`too many redirects (more than 5) from ${a}/loop`);
    expect(hits).toHaveLength(6);
  });

  it("turns a POST into a GET without body on 303, and keeps both on 307", async () => {
    const init = { method: "POST", body: "payload", headers: { "content-type": "text/plain" } };
    const after303 = await httpFetch(`${a}/redirect?status=303&to=/after`, init, both());
    expect(JSON.parse(after303.body)).toMatchObject({ method: "GET", path: "/after", body: "", type: null });
    const after307 = await httpFetch(`${a}/redirect?status=307&to=/after`, init, both());
    expect(JSON.parse(after307.body)).toMatchObject({ method: "POST", path: "/after", body: "payload", type: "text/plain" });
  });

  it("drops credentials on a cross-origin redirect and keeps them on a same-origin one", async () => {
    const init = { headers: { authorization: "Bearer t0ken" } };
    await httpFetch(`${a}/redirect?to=/same`, init, both());
    await httpFetch(`${a}/redirect?to=${encodeURIComponent(`${b}/other`)}`, init, both());
    expect(hits.map((h) => [h.server, h.url, h.authorization])).toEqual([
      ["a", "/redirect?to=/same", "Bearer t0ken"],
      ["a", "/same", "Bearer t0ken"],
      ["a", `/redirect?to=${encodeURIComponent(`${b}/other`)}`, "Bearer t0ken"],
      ["b", "/other", undefined],
    ]);
  });

  it("cuts a body over the cap and marks it", async () => {
    const result = await httpFetch(`${a}/big`, undefined, options([hostOf(a)], undefined, { maxResponseBytes: 1000 }));
    expect(result.truncated).toBe(true);
    expect(result.body).toBe("b".repeat(1000) + "\n[… truncated: the response exceeded 1000 bytes]");
  });

  it("ends a request that takes too long with a timeout error", async () => {
    const result = await httpFetch(`${a}/hang`, undefined, options([hostOf(a)], undefined, { timeoutMs: 100 }));
    expect(result).toMatchObject({ ok: false, status: 0, error: `request to ${a}/hang timed out after 100 ms` });
  });

  it("sends an object body as JSON", async () => {
    const result = await httpFetch(`${a}/post`, { method: "post", body: { n: 1 } }, both());
    expect(JSON.parse(result.body)).toMatchObject({ method: "POST", type: "application/json", body: '{"n":1}' });
  });

  it.each([
    [42, undefined, "httpFetch(url, init?): url must be a string"],
    ["http://x.test/", "GET", "httpFetch(url, init?): init must be an object"],
    ["http://x.test/", { method: 5 }, "httpFetch: init.method must be a string"],
    ["http://x.test/", { body: "x" }, "httpFetch: a GET request cannot have a body"],
    ["http://x.test/", { headers: { "bad header": "x" } }, "httpFetch: init.headers are invalid: "],
  ])("explains bad arguments (%j, %j) in the error value", async (url, init, error) => {
    expect((await httpFetch(url, init, both())).error).toContain(error);
  });
});

describe("gateFetch", () => {
  it("passes an allowed request and its response through", async () => {
    const response = await gateFetch(new Request(`${a}/via-gate`, { method: "PUT", body: "data" }), both());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ method: "PUT", path: "/via-gate", body: "data" });
  });

  it("answers a refused request with 403 and a JSON error", async () => {
    const response = await gateFetch(new Request("http://10.0.0.1/"), both());
    expect(response.status).toBe(403);
    expect(response.headers.get("x-switchyard-egress")).toBe("refused");
    expect(await response.json()).toEqual({ error: "egress refused: 10.0.0.1 is a private address, refused unless EGRESS_ALLOW names it" });
  });

  it("re-checks redirects like httpFetch", async () => {
    const response = await gateFetch(new Request(`${a}/redirect?to=${encodeURIComponent("http://[::1]/")}`), both());
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatch(/\(redirect 1 from .*\): \[::1\] is a loopback address/);
  });

  it("cuts a body over the cap and says so in a header", async () => {
    const response = await gateFetch(new Request(`${a}/big`), options([hostOf(a)], undefined, { maxResponseBytes: 10 }));
    expect(response.headers.get("x-switchyard-truncated")).toBe("10");
    expect(await response.text()).toBe("b".repeat(10));
  });

  it("refuses a request body over the cap without sending it", async () => {
    const response = await gateFetch(new Request(`${a}/x`, { method: "POST", body: "z".repeat(100) }), options([hostOf(a)], undefined, { maxRequestBytes: 50 }));
    expect(response.status).toBe(413);
    expect(hits).toEqual([]);
  });

  it("answers a timeout with 504", async () => {
    const response = await gateFetch(new Request(`${a}/hang`), options([hostOf(a)], undefined, { timeoutMs: 100 }));
    expect(response.status).toBe(504);
  });
});
