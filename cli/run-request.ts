/**
 * The parts of a request that starts a run (or a fork) as the command line gives them: `--var
 * key=value` pairs, and an input of `-` read from stdin.
 */
import { usageError } from "./errors";

export function parseVars(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const equals = pair.indexOf("=");
      if (equals <= 0) throw usageError(`--var takes key=value, not "${pair}".`);
      return [pair.slice(0, equals), pair.slice(equals + 1)];
    }),
  );
}

/** Collects a repeatable option's values (commander's argParser). */
export function collect(value: string, all: string[]): string[] {
  return [...all, value];
}

/** The text, or stdin's whole text (its last line break dropped) for `-`. */
export async function inputText(text: string): Promise<string> {
  if (text !== "-") return text;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}
