import { describe, expect, it } from "vitest";
import { isServiceName, MAX_TOOL_NAME, offeredNames, safeName } from "../../src/tools/names";

const PROVIDER_SAFE = /^[A-Za-z0-9_-]{1,64}$/;

describe("offeredNames", () => {
  it("offers <service>__<operation>", () => {
    expect(offeredNames("mock", ["listRecords", "get_weather", "get-sum"])).toEqual(["mock__listRecords", "mock__get_weather", "mock__get-sum"]);
  });

  it("replaces characters providers refuse and keeps names that collide afterwards apart", () => {
    const names = offeredNames("svc", ["files.read", "files/read", "files read", "ünïcode"]);
    expect(names).toEqual(["svc__files_read", "svc__files_read_2", "svc__files_read_3", "svc___n_code"]);
    for (const name of names) expect(name).toMatch(PROVIDER_SAFE);
  });

  it("cuts long names to 64 characters with a hash, so names sharing a long prefix stay distinct", () => {
    const long = "a".repeat(80);
    const names = offeredNames("service", [`${long}One`, `${long}Two`]);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(MAX_TOOL_NAME);
      expect(name).toMatch(PROVIDER_SAFE);
      expect(name.startsWith("service__aaaa")).toBe(true);
    }
    expect(names[0]).not.toBe(names[1]);
    expect(offeredNames("service", [`${long}One`])).toEqual([names[0]]);
  });

  it("gives an empty operation a usable name", () => {
    expect(safeName("")).toBe("tool");
  });
});

describe("isServiceName", () => {
  it("accepts names whose first double underscore can only be the separator", () => {
    expect(isServiceName("mock")).toBe(true);
    expect(isServiceName("my_service-2")).toBe(true);
    expect(isServiceName("my__service")).toBe(false);
    expect(isServiceName("trailing_")).toBe(false);
    expect(isServiceName("9lives")).toBe(false);
    expect(isServiceName("has space")).toBe(false);
    expect(isServiceName("x".repeat(33))).toBe(false);
  });
});
