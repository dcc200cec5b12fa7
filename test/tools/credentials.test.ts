import { describe, expect, it } from "vitest";
import { credentialNames, openCredentials, REDACTED, redactSecrets, sealCredentials, secretScrubber, type Credentials } from "../../src/tools/credentials";

const credentials: Credentials = { headers: { "X-Api-Key": "header-secret" }, inject: { query: { token: "query secret&" }, path: {}, body: { pin: "1234" } } };

describe("credentials", () => {
  it("shows names only", () => {
    expect(credentialNames(credentials)).toEqual({ headers: ["X-Api-Key"], inject: { query: ["token"], path: [], body: ["pin"] } });
  });

  it("seals and opens them; nothing is sealed when there are none", async () => {
    const sealed = await sealCredentials("key", credentials);
    expect(sealed).not.toBeNull();
    expect(sealed).not.toContain("header-secret");
    expect(await openCredentials("key", sealed)).toEqual(credentials);
    expect(await sealCredentials("key", { headers: {}, inject: { query: {}, path: {}, body: {} } })).toBeNull();
    await expect(openCredentials("other-key", sealed)).rejects.toThrow();
  });

  it("scrubs every value, plain and URL-encoded, from strings and keys at any depth", () => {
    const echoed = {
      request_id: "header-secret",
      url: "http://h/x?token=query%20secret%26",
      nested: [{ "header-secret": "prefix header-secret suffix" }],
      count: 3,
    };
    expect(redactSecrets(echoed, ["header-secret", "query secret&"])).toEqual({
      request_id: REDACTED,
      url: `http://h/x?token=${REDACTED}`,
      nested: [{ [REDACTED]: `prefix ${REDACTED} suffix` }],
      count: 3,
    });
  });

  it("leaves very short values alone: they would mangle ordinary text", () => {
    expect(redactSecrets("a 123 b", ["123"])).toBe("a 123 b");
  });

  it("scrubs secrets from raw bytes too, each occurrence, the longest secret first", () => {
    const scrub = secretScrubber(["tok-123456", "tok-123456-long"]);
    const bytes = new TextEncoder().encode("a tok-123456-long b tok-123456 c tok-1234");
    expect(new TextDecoder().decode(scrub.bytes(bytes))).toBe(`a ${REDACTED} b ${REDACTED} c tok-1234`);
    const untouched = new TextEncoder().encode("nothing here");
    expect(scrub.bytes(untouched)).toBe(untouched);
  });
});
