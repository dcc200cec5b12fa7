import { describe, expect, it } from "vitest";
import { NO_CREDENTIALS, type Credentials } from "../../../src/tools/credentials";
import { buildHttpRequest, RequestShapeError } from "../../../src/tools/openapi/request";
import type { HttpBinding } from "../../../src/tools/service";

const getRecord: HttpBinding = { method: "GET", path: "/records/{id}", params: [{ arg: "id", name: "id", in: "path" }] };
const search: HttpBinding = {
  method: "GET",
  path: "/search",
  params: [
    { arg: "q", name: "q", in: "query" },
    { arg: "tags", name: "tag", in: "query" },
    { arg: "trace", name: "X-Trace", in: "header" },
  ],
};
const createNote: HttpBinding = {
  method: "POST",
  path: "/notes",
  params: [{ arg: "X-Request-Id", name: "X-Request-Id", in: "header" }],
  body: { mode: "merged", content_type: "application/json", encoding: "json" },
};

describe("buildHttpRequest", () => {
  it("fills path parameters, encoded, and sends the idempotency key", () => {
    const request = buildHttpRequest("http://h/api", getRecord, { id: "a/b c" }, NO_CREDENTIALS, "run:3:call_1");
    expect(request).toMatchObject({ url: "http://h/api/records/a%2Fb%20c", method: "GET" });
    expect(request.headers["idempotency-key"]).toBe("run:3:call_1");
    expect(request.body).toBeUndefined();
  });

  it("puts query (arrays repeated) and header parameters in their places", () => {
    const request = buildHttpRequest("http://h", search, { q: "x y", tags: ["a", "b"], trace: 7 }, NO_CREDENTIALS, "k");
    expect(request.url).toBe("http://h/search?q=x+y&tag=a&tag=b");
    expect(request.headers["x-trace"]).toBe("7");
  });

  it("sends the arguments that are not parameters as the JSON body", () => {
    const request = buildHttpRequest("http://h", createNote, { title: "t", tags: ["x"], "X-Request-Id": "r1" }, NO_CREDENTIALS, "k");
    expect(JSON.parse(request.body!)).toEqual({ title: "t", tags: ["x"] });
    expect(request.headers).toMatchObject({ "content-type": "application/json", "x-request-id": "r1" });
  });

  it("adds credentials last, so no argument can replace one", () => {
    const credentials: Credentials = { headers: { Authorization: "Bearer secret-1" }, inject: { query: { key: "secret-2" }, path: { tenant: "acme" }, body: { token: "secret-3" } } };
    const binding: HttpBinding = { ...createNote, path: "/t/{tenant}/notes", params: [...createNote.params, { arg: "key", name: "key", in: "query" }] };
    const request = buildHttpRequest("http://h", binding, { title: "t", token: "forged", key: "forged", "X-Request-Id": "r" }, credentials, "k");
    expect(request.url).toBe("http://h/t/acme/notes?key=secret-2");
    expect(request.headers.authorization).toBe("Bearer secret-1");
    expect(JSON.parse(request.body!)).toEqual({ title: "t", token: "secret-3" });
  });

  it("form-encodes a form body and sends a `body` argument as is", () => {
    const form: HttpBinding = { method: "POST", path: "/f", params: [], body: { mode: "merged", content_type: "application/x-www-form-urlencoded", encoding: "form" } };
    expect(buildHttpRequest("http://h", form, { a: "1 2", b: [3, 4] }, NO_CREDENTIALS, "k").body).toBe("a=1+2&b=3&b=4");
    const raw: HttpBinding = { method: "POST", path: "/r", params: [], body: { mode: "property", arg: "body", content_type: "text/plain", encoding: "raw" } };
    expect(buildHttpRequest("http://h", raw, { body: "plain text" }, NO_CREDENTIALS, "k")).toMatchObject({ body: "plain text", headers: { "content-type": "text/plain" } });
  });

  it("refuses a call without a path parameter", () => {
    expect(() => buildHttpRequest("http://h", getRecord, {}, NO_CREDENTIALS, "k")).toThrow(RequestShapeError);
  });
});
