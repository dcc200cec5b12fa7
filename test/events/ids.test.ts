import { describe, expect, it } from "vitest";
import { idFromKey, sha256Hex } from "../../src/events/ids";

describe("idFromKey", () => {
  it("gives the same UUID-shaped id for the same key, and another for another key", async () => {
    const a = await idFromKey("trigger-1:2031-01-01T10:05Z");
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await idFromKey("trigger-1:2031-01-01T10:05Z")).toBe(a);
    expect(await idFromKey("trigger-1:2031-01-01T10:06Z")).not.toBe(a);
  });
});

describe("sha256Hex", () => {
  it("is the SHA-256 of the text in hex", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
