/**
 * The CPU-bound programs of the sandbox bench, pure computation with no I/O. The host isolate
 * calls them as compiled; the sandbox and QuickJS run their source text (`programSource`).
 *
 * - `numeric`: a sieve of Eratosthenes and the longest Collatz chain below n / 20 — the tightest
 *   loops there are, the worst case for the sandbox's per-iteration budget check.
 * - `records`: what code-mode programs mostly do — build n records, group them, filter, sort
 *   with a comparator, format, and round-trip the top ones through JSON.
 * - `text`: reading fields out of lines, as code that parses a reply or a file does — many short
 *   calls of string built-ins (`indexOf`, `slice`, `trim`, `charCodeAt`, `startsWith`), the calls
 *   the sandbox's allocation meter could sit in front of.
 */
export const PROGRAMS = {
  numeric(n: number): number {
    const composite = new Uint8Array(n + 1);
    let primes = 0;
    for (let i = 2; i <= n; i++) {
      if (composite[i] === 0) {
        primes++;
        for (let j = i * i; j <= n; j += i) composite[j] = 1;
      }
    }
    function collatz(x: number): number {
      let steps = 0;
      while (x !== 1) {
        x = x % 2 === 0 ? x / 2 : 3 * x + 1;
        steps++;
      }
      return steps;
    }
    let longest = 0;
    for (let i = 1; i < n / 20; i++) longest = Math.max(longest, collatz(i));
    return primes * 1000 + longest;
  },

  records(n: number): number {
    const categories = ["gold", "silver", "bronze", "iron", "tin"];
    const groups: Record<string, Array<{ id: number; category: string; score: number; name: string }>> = {};
    for (let i = 0; i < n; i++) {
      const record = { id: i, category: categories[i % categories.length]!, score: (i * 7919) % 1000, name: `item-${i}` };
      (groups[record.category] ??= []).push(record);
    }
    let checksum = 0;
    for (const [category, list] of Object.entries(groups)) {
      const top = list
        .filter((r) => r.score > 500)
        .sort((a, b) => b.score - a.score || a.id - b.id)
        .slice(0, 20);
      const text = JSON.stringify(top.map((r) => ({ id: r.id, label: `${category}:${r.name.toUpperCase()}` })));
      checksum += (JSON.parse(text) as Array<{ id: number }>).reduce((sum, r) => sum + r.id, 0) + text.length;
    }
    return checksum;
  },

  text(n: number): number {
    const line = "order-17, 2026-11-30, shipped , 42.50 EUR";
    let checksum = 0;
    for (let i = 0; i < n; i++) {
      const comma = line.indexOf(",", i % 7);
      const field = line.slice(comma + 1, comma + 12).trim();
      checksum += field.length + line.charCodeAt(i % line.length) + (field.startsWith("2026") ? 1 : 0);
    }
    return checksum;
  },
};

export type ProgramName = keyof typeof PROGRAMS;

export function isProgramName(name: unknown): name is ProgramName {
  return typeof name === "string" && Object.hasOwn(PROGRAMS, name);
}

/** An async function body that runs the program on `n` and returns its checksum. */
export function programSource(name: ProgramName, n: number): string {
  return `const program = ${PROGRAMS[name].toString().replace(/^[\w$]+\(/, "function (")};\nreturn program(${n});`;
}
