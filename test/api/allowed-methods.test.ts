import { describe, expect, it } from "vitest";
import { allowedMethods } from "../../src/api/allowed-methods";

const routes = [
  { method: "ALL", path: "*" },
  { method: "GET", path: "/runs" },
  { method: "POST", path: "/runs" },
  { method: "GET", path: "/runs/:id" },
  { method: "POST", path: "/runs/:id/cancel" },
  { method: "GET", path: "/models/:id{.+}" },
  { method: "ALL", path: "/v1/*" },
];

describe("allowedMethods", () => {
  const at = allowedMethods(() => routes);

  it("lists every method a path answers, HEAD with GET", () => {
    expect(at("/runs")).toEqual(["GET", "HEAD", "POST"]);
    expect(at("/runs/abc")).toEqual(["GET", "HEAD"]);
    expect(at("/runs/abc/cancel")).toEqual(["POST"]);
  });

  it("follows a parameter's own pattern, slashes included", () => {
    expect(at("/models/openai/gpt-4o")).toEqual(["GET", "HEAD"]);
  });

  it("knows nothing of a path no route names, catch-alls and middleware aside", () => {
    expect(at("/nowhere")).toEqual([]);
    expect(at("/runs/abc/def/ghi")).toEqual([]);
    expect(at("/v1/anything")).toEqual([]);
  });
});
