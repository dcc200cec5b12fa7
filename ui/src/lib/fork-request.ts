/**
 * The body of `POST /runs/:id/fork` from what the fork form holds: vars to merge, and — each only
 * when asked for — a new input (text for a run whose input was text, JSON otherwise), a patch of
 * the previous step's output (JSON), and an edited chain (sent as its JSONC text, which the API
 * checks like `POST /chains/validate`). Text that is not JSON is an error naming its field.
 */
export interface ForkDraft {
  from_step: number;
  vars: Record<string, string>;
  input?: { text: string; asText: boolean };
  patch?: string;
  chain?: string;
}

export interface ForkBody {
  from_step: number;
  vars?: Record<string, string>;
  input?: unknown;
  patch?: unknown;
  chain?: string;
}

export type ForkRequest = { ok: true; body: ForkBody } | { ok: false; path: string; message: string };

export function forkRequest(draft: ForkDraft): ForkRequest {
  const body: ForkBody = { from_step: draft.from_step };
  if (Object.keys(draft.vars).length > 0) body.vars = draft.vars;
  if (draft.input) {
    const input = draft.input.asText ? { ok: true as const, value: draft.input.text } : jsonOf(draft.input.text, "input");
    if (!input.ok) return input;
    body.input = input.value;
  }
  if (draft.patch !== undefined) {
    const patch = jsonOf(draft.patch, "patch");
    if (!patch.ok) return patch;
    body.patch = patch.value;
  }
  if (draft.chain !== undefined) body.chain = draft.chain;
  return { ok: true, body };
}

function jsonOf(text: string, path: string): { ok: true; value: unknown } | { ok: false; path: string; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, path, message: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** A run input as the form shows it: text as written, anything else as JSON. */
export function inputText(input: unknown): { text: string; asText: boolean } {
  return typeof input === "string" ? { text: input, asText: true } : { text: JSON.stringify(input ?? null, null, 2), asText: false };
}
