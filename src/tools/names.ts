/**
 * Tool names every provider accepts. OpenAI allows only letters, digits, `_` and `-`, at most
 * 64 characters; the others are as strict or looser. A registered service's tools are offered
 * as `<service>__<operation>` (the sandbox's `tools.<service>.<operation>()` splits at the
 * first `__`), made safe here once, at registration, and stored: the registry maps an offered
 * name back to its operation by exact lookup, never by reversing the sanitising.
 */

export const MAX_TOOL_NAME = 64;

/** Longest service name: leaves room for the separator and a readable operation name. */
export const MAX_SERVICE_NAME = 32;

/**
 * A service name: starts with a letter, then letters, digits, `-` or single `_`s, not ending
 * in `_`, so that the first `__` in an offered name is always the separator.
 */
export const SERVICE_NAME = /^[A-Za-z](?:[A-Za-z0-9-]|_(?!_))*(?<!_)$/;

export function isServiceName(name: string): boolean {
  return name.length <= MAX_SERVICE_NAME && SERVICE_NAME.test(name);
}

/** Characters outside `[A-Za-z0-9_-]` become `_`; an empty result becomes `tool`. */
export function safeName(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9_-]/g, "_");
  return safe === "" ? "tool" : safe;
}

/**
 * Offered names for a service's operations, in order, all distinct and provider-safe. Names
 * that collide after sanitising get `_2`, `_3`, …; names over the limit are cut and end with
 * a hash of the whole name, so two long names that share a prefix stay apart.
 */
export function offeredNames(service: string, operations: string[]): string[] {
  const taken = new Set<string>();
  return operations.map((operation) => {
    const base = fit(`${service}__${safeName(operation)}`);
    let name = base;
    for (let n = 2; taken.has(name); n++) name = fit(`${base}_${n}`);
    taken.add(name);
    return name;
  });
}

function fit(name: string): string {
  if (name.length <= MAX_TOOL_NAME) return name;
  const hash = fnv1a(name);
  return `${name.slice(0, MAX_TOOL_NAME - hash.length - 1)}_${hash}`;
}

/** FNV-1a, 32 bits, as 8 hex digits: stable across runtimes, no crypto needed. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
