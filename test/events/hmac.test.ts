import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signBody, verifySignature } from "../../src/events/hmac";

const secret = "It's a Secret to Everybody";
const body = new TextEncoder().encode("Hello, World!");
// The example from GitHub's "Validating webhook deliveries" documentation.
const githubExample = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

describe("webhook signatures", () => {
  it("signs like GitHub does", async () => {
    expect(await signBody(secret, body)).toBe(githubExample);
    expect(await signBody("k", body)).toBe(`sha256=${createHmac("sha256", "k").update(body).digest("hex")}`);
  });

  it("accepts the right signature, with or without the sha256= prefix and in any hex case", async () => {
    expect(await verifySignature(secret, body, githubExample)).toBe(true);
    expect(await verifySignature(secret, body, githubExample.slice("sha256=".length))).toBe(true);
    expect(await verifySignature(secret, body, githubExample.toUpperCase().replace("SHA256=", "sha256="))).toBe(true);
  });

  it("refuses a signature made with another secret, over other bytes, or malformed", async () => {
    expect(await verifySignature("another secret", body, githubExample)).toBe(false);
    expect(await verifySignature(secret, new TextEncoder().encode("Hello, World?"), githubExample)).toBe(false);
    for (const header of [null, undefined, "", "sha256=", "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", githubExample.slice(0, -2), `${githubExample}00`, "sha256=zz" + githubExample.slice(9)]) {
      expect(await verifySignature(secret, body, header)).toBe(false);
    }
  });
});
