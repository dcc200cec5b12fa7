import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SANDBOX_GLOBALS } from "../../src/engine/sandbox-globals-text";

const SCRIPT = join(import.meta.dirname, "..", "..", "scripts", "sandbox-globals.mjs");

describe("the sandbox globals shown to the model", () => {
  it("are generated from the declarations the host is typed with (the generated text is current)", () => {
    const check = spawnSync(process.execPath, [SCRIPT, "--check"], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("declare every global the runtime gives a program, as plain declarations", () => {
    for (const name of ["httpFetch", "executeTask", "executeTaskChain", "sendEvent"]) {
      expect(SANDBOX_GLOBALS).toContain(`declare function ${name}(`);
    }
    expect(SANDBOX_GLOBALS).toContain("declare const console: {");
    expect(SANDBOX_GLOBALS).not.toMatch(/^export |^import /m);
  });
});
