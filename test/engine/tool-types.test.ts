import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ToolSpec } from "../../src/engine/chat";
import { sandboxTypes, schemaType, toolTypes } from "../../src/engine/tool-types";

const TSC = join(import.meta.dirname, "..", "..", "node_modules", ".bin", "tsc");

const weather: ToolSpec = {
  name: "weather__current",
  description: "Current weather for a city.",
  parameters: {
    type: "object",
    properties: {
      city: { type: "string", description: "City name, e.g. Oslo" },
      units: { enum: ["metric", "imperial"], default: "metric" },
    },
    required: ["city"],
  },
};
const forecast: ToolSpec = {
  name: "weather__forecast",
  parameters: { type: "object", properties: { days: { type: "integer", minimum: 1 } } },
};
const search: ToolSpec = {
  name: "search",
  description: "Full-text search.",
  parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
};

/** Type-checks `program` against the declarations with the project's TypeScript; returns its diagnostics. */
function typeCheck(declarations: string, program: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "tool-types-"));
  writeFileSync(join(dir, "api.d.ts"), declarations);
  // The program is an async function body in the sandbox; here it is wrapped in one.
  writeFileSync(join(dir, "program.ts"), `export async function program() {\n${program}\n}\n`);
  const result = spawnSync(TSC, ["--noEmit", "--strict", "--target", "es2022", "--lib", "es2022", "--types", "", "api.d.ts", "program.ts"], {
    cwd: dir,
    encoding: "utf8",
  });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

describe("sandboxTypes", () => {
  it("declares each granted tool where the prelude puts it, with its description and argument types", () => {
    const text = sandboxTypes([weather, forecast, search]);
    expect(text).toContain(
      [
        "  weather: {",
        "    /** Current weather for a city. */",
        "    current(args: {",
        "      /** City name, e.g. Oslo */",
        "      city: string;",
        '      /** Default: "metric". */',
        '      units?: "metric" | "imperial";',
        "    }): Promise<unknown>;",
        "    forecast(args?: {",
        "      days?: number;",
        "    }): Promise<unknown>;",
        "  };",
      ].join("\n"),
    );
    expect(text).toContain("  /** Full-text search. */\n  search(args: {\n    q: string;\n  }): Promise<unknown>;");
    expect(text).toContain('declare function callTool(name: "weather__current" | "weather__forecast" | "search", args: object): Promise<unknown>;');
  });

  it("always declares the globals, and no tools object when nothing is granted", () => {
    const text = sandboxTypes([]);
    for (const name of ["httpFetch", "executeTask", "executeTaskChain", "sendEvent"]) expect(text).toContain(`declare function ${name}(`);
    expect(text).toContain("declare const console");
    expect(text).not.toContain("declare const tools");
    expect(text).not.toContain("callTool");
  });

  it("produces declarations TypeScript accepts, that type a correct program and reject a wrong one", () => {
    const declarations = sandboxTypes([weather, forecast, search]);
    const good = typeCheck(
      declarations,
      [
        'const now = await tools.weather.current({ city: "Oslo", units: "metric" });',
        "const later = await tools.weather.forecast();",
        'const hits = await callTool("search", { q: "fjords" });',
        'const page = await httpFetch("https://example.com", { method: "POST", body: { a: 1 } });',
        'const answer = await executeTask("Summarise", "small-model");',
        'console.log(page.status, page.body.length, answer.response, now, later, hits);',
      ].join("\n"),
    );
    expect(good.output).toBe("");
    expect(good.ok).toBe(true);

    const wrongArgument = typeCheck(declarations, "await tools.weather.current({ town: 'Oslo' });");
    expect(wrongArgument.ok).toBe(false);
    expect(wrongArgument.output).toMatch(/town/);
    const ungranted = typeCheck(declarations, "await tools.mail.send({});");
    expect(ungranted.ok).toBe(false);
    expect(ungranted.output).toMatch(/mail/);
  });

  it("quotes names that are not identifiers and keeps comment text from closing the doc comment", () => {
    const text = toolTypes([
      { name: "get-page", description: "Reads */ a page\nand more", parameters: { type: "object", properties: { "x-id": { type: "string" } } } },
    ]);
    expect(text).toContain('  "get-page"(args?: {\n    "x-id"?: string;\n  }): Promise<unknown>;');
    expect(text).toContain("  /**\n   * Reads *\\/ a page\n   * and more\n   */\n");
    expect(typeCheck(text, 'await tools["get-page"]({ "x-id": "1" });').ok).toBe(true);
  });
});

describe("schemaType", () => {
  it.each([
    [{ type: "string" }, "string"],
    [{ type: "integer" }, "number"],
    [{ type: ["string", "null"] }, "string | null"],
    [{ type: "string", nullable: true }, "string | null"],
    [{ const: "fixed" }, '"fixed"'],
    [{ enum: [1, "two", null] }, '1 | "two" | null'],
    [{ type: "array", items: { type: "number" } }, "number[]"],
    [{ type: "array", items: { anyOf: [{ type: "string" }, { type: "number" }] } }, "(string | number)[]"],
    [{ type: "array", prefixItems: [{ type: "string" }, { type: "boolean" }] }, "[string, boolean]"],
    [{ type: "array" }, "unknown[]"],
    [{ oneOf: [{ type: "string" }, { type: "string" }] }, "string"],
    [{ allOf: [{ anyOf: [{ type: "string" }, { type: "number" }] }, { type: "boolean" }] }, "(string | number) & boolean"],
    [{ type: "object" }, "Record<string, unknown>"],
    [{ type: "object", additionalProperties: false }, "{}"],
    [{ type: "object", additionalProperties: { type: "string" } }, "{\n  [key: string]: string;\n}"],
    [{}, "unknown"],
    [true, "unknown"],
    [false, "never"],
  ])("%j is %s", (schema, expected) => {
    expect(schemaType(schema)).toBe(expected);
  });

  it("follows local $refs and declares a reference cycle as unknown", () => {
    const tree = {
      $defs: { node: { type: "object", properties: { value: { type: "number" }, next: { $ref: "#/$defs/node" } }, required: ["value"] } },
      $ref: "#/$defs/node",
    };
    const text = schemaType(tree);
    expect(text.startsWith("{\n  value: number;\n  next?: {\n    value: number;")).toBe(true);
    expect(text).toContain("next?: unknown;");
    expect(schemaType({ $ref: "https://example.com/schema.json" })).toBe("unknown");
  });
});
