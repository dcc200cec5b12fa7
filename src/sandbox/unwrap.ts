/**
 * Unwrapping of the packaging LLMs put around code: Markdown fences (any language tag, prose
 * before and after) and `{"code": "..."}` JSON wrappers, in any nesting (a fenced JSON wrapper,
 * a wrapper whose code is fenced).
 */

/** An opening fence of three or more backticks or tildes, its info string, then the code. */
const FENCE = /^[ \t]*(`{3,}|~{3,})[^\n]*\n/m;

export function unwrapCode(text: string): string {
  let current = text.trim();
  for (;;) {
    const next = unwrapJson(unwrapFence(current)).trim();
    if (next === current) return current;
    current = next;
  }
}

/** The first fenced block's content; an unclosed fence runs to the end of the text. */
function unwrapFence(text: string): string {
  const open = FENCE.exec(text);
  if (!open) return text;
  const marker = open[1]!;
  const rest = text.slice(open.index + open[0].length);
  const close = new RegExp(`^[ \\t]*${marker[0]}{${marker.length},}[ \\t]*$`, "m").exec(rest);
  return close ? rest.slice(0, close.index) : rest;
}

function unwrapJson(text: string): string {
  if (!text.startsWith("{")) return text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && "code" in parsed && typeof parsed.code === "string") {
      return parsed.code;
    }
  } catch {
    // Not JSON: an object literal or a block of code that happens to start with a brace.
  }
  return text;
}
