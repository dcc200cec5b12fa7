import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkChain } from "../../src/engine/validate";

const dir = new URL("../../chains/", import.meta.url);
const files = readdirSync(dir).filter((name) => name.endsWith(".json"));

describe("bundled chains", () => {
  it("include the default, self-paced, safe and resilient chains", () => {
    expect(files).toEqual(expect.arrayContaining(["default-chain.json", "self-paced-chain.json", "safe-chain.json", "resilient-chain.json"]));
  });

  // knownTools is empty: a bundled chain may grant "*" but must not depend on any particular tool —
  // but for the demo shop, which the chain governed by its contract is about.
  it.each(files)("%s passes checkChain with no problems, is described, and its id is its file name", (file) => {
    const report = checkChain(readFileSync(new URL(file, dir), "utf8"), { knownTools: file === "governed-code-mode.json" ? ["shop"] : [] });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.chain?.id).toBe(file.replace(/\.json$/, ""));
    expect(report.chain?.description?.trim()).not.toBe("");
  });
});
