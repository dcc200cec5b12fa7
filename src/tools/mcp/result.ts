/**
 * An MCP `tools/call` result as the plain value a tool returns everywhere else: the
 * structured content when the server gives one, else the text of the content blocks (one
 * block: its text; several: joined by blank lines). Binary blocks are described, not inlined
 * (base64 images in a prompt cost a fortune and tell a text model nothing). A result the
 * server marks `isError` becomes `{ error }`.
 */

type Block = { type?: unknown; text?: unknown; mimeType?: unknown; data?: unknown; uri?: unknown; name?: unknown; resource?: unknown };

export function mcpResultValue(result: { content?: unknown; structuredContent?: unknown; isError?: unknown; toolResult?: unknown }): unknown {
  const blocks = Array.isArray(result.content) ? (result.content as Block[]) : [];
  const text = blocks.map(blockText).join("\n\n");
  if (result.isError === true) return { error: text || "the MCP tool reported an error" };
  if (result.structuredContent !== undefined) return result.structuredContent;
  // Servers on the 2024-10-07 protocol answer with `toolResult`.
  if (blocks.length === 0 && result.toolResult !== undefined) return result.toolResult;
  return text;
}

function blockText(block: Block): string {
  switch (block.type) {
    case "text":
      return typeof block.text === "string" ? block.text : "";
    case "image":
    case "audio":
      return `[${block.type} ${String(block.mimeType ?? "")}, ${typeof block.data === "string" ? Math.floor((block.data.length * 3) / 4) : 0} bytes, not shown]`;
    case "resource": {
      const resource = (block.resource ?? {}) as Block;
      return typeof resource.text === "string" ? resource.text : `[resource ${String(resource.uri ?? "")}]`;
    }
    case "resource_link":
      return `[resource link ${String(block.name ?? "")} ${String(block.uri ?? "")}]`.replace(/\s+]/, "]");
    default:
      return `[${String(block.type)} content]`;
  }
}
