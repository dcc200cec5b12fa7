import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedirectServer, type RedirectServer } from "./redirect-server";

let redirector: RedirectServer;

beforeAll(async () => {
  redirector = await startRedirectServer();
});

afterAll(async () => {
  await redirector.close();
});

describe("redirect server", () => {
  it("answers /to with a 302 to the given url", async () => {
    const target = "http://example.invalid/secret?x=1";

    const response = await fetch(`${redirector.url}/to?url=${encodeURIComponent(target)}`, { redirect: "manual" });

    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(target);
  });

  it("uses the requested redirect status and refuses others", async () => {
    const permanent = await fetch(`${redirector.url}/to?url=http://127.0.0.1:1/&status=308`, { redirect: "manual" });
    const notARedirect = await fetch(`${redirector.url}/to?url=http://127.0.0.1:1/&status=200`, { redirect: "manual" });
    const noTarget = await fetch(`${redirector.url}/to`, { redirect: "manual" });

    expect([permanent.status, notARedirect.status, noTarget.status]).toEqual([308, 400, 400]);
    expect(permanent.headers.get("location")).toBe("http://127.0.0.1:1/");
  });
});
