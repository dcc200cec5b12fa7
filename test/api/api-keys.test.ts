import { describe, expect, it } from "vitest";
import { parseKeys } from "../../src/api/api-keys";

describe("parseKeys", () => {
  it("reads `key` as the role admin and `role:key` as that role, trimming entries", () => {
    expect(parseKeys(" dev-key , agent:k-1,manager:k-2,,")).toEqual([
      { role: "admin", key: "dev-key" },
      { role: "agent", key: "k-1" },
      { role: "manager", key: "k-2" },
    ]);
  });

  it("takes a key holding a colon whole when it is written with its role", () => {
    expect(parseKeys("admin:sk:abc")).toEqual([{ role: "admin", key: "sk:abc" }]);
    expect(parseKeys(undefined)).toEqual([]);
  });
});
