import { describe, expect, it } from "vitest";
import { mcpResultValue } from "../../../src/tools/mcp/result";

describe("mcpResultValue", () => {
  it("returns the text of a single text block", () => {
    expect(mcpResultValue({ content: [{ type: "text", text: "Echo: hi" }] })).toBe("Echo: hi");
  });

  it("prefers structured content", () => {
    expect(mcpResultValue({ content: [{ type: "text", text: "{}" }], structuredContent: { temperature: 20 } })).toEqual({ temperature: 20 });
  });

  it("describes binary blocks instead of inlining them, and joins several blocks", () => {
    const value = mcpResultValue({
      content: [
        { type: "text", text: "Here:" },
        { type: "image", mimeType: "image/png", data: "AAAA" },
        { type: "resource", resource: { uri: "file:///a.txt", text: "inside" } },
        { type: "resource_link", uri: "file:///b", name: "b" },
      ],
    });
    expect(value).toBe("Here:\n\n[image image/png, 3 bytes, not shown]\n\ninside\n\n[resource link b file:///b]");
  });

  it("turns isError into { error }", () => {
    expect(mcpResultValue({ content: [{ type: "text", text: "bad input" }], isError: true })).toEqual({ error: "bad input" });
    expect(mcpResultValue({ content: [], isError: true })).toEqual({ error: "the MCP tool reported an error" });
  });
});
