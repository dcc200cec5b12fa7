/**
 * The run vars a chain reads (`{{var:NAME}}`, `{{var:NAME|fallback}}` anywhere in its text), so
 * a form that sets vars can offer their names.
 */
import type { Chain } from "../api/types";

const VAR = /\{\{\s*var\s*:\s*([^{}|]*?)\s*(?:\|[^{}]*)?\}\}/g;

export function chainVarNames(chain: Chain): string[] {
  const names = new Set<string>();
  for (const [, name] of JSON.stringify(chain).matchAll(VAR)) if (name) names.add(name);
  return [...names].sort();
}
