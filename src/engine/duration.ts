/**
 * Go-style duration strings ("30s", "1m30s", "1.5s", "250us") as chains write them for
 * `timeout` and `retry_policy` backoffs, parsed to milliseconds. The grammar is Go's
 * `time.ParseDuration`: an optional sign, then one or more decimal numbers each followed by a
 * unit (ns, us/µs, ms, s, m, h); a bare "0" is allowed. Sub-millisecond units give fractional
 * milliseconds.
 */

import { EngineError } from "./errors";

const MS_PER_UNIT: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3, // U+00B5 micro sign
  "μs": 1e-3, // U+03BC Greek mu: Go accepts both spellings
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

// Longer units first so "ms" is not read as "m" followed by a stray "s".
const COMPONENT = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|h|m|s)/y;

/** Milliseconds in a Go duration string; throws `invalid_duration` naming the text. */
export function parseDuration(text: string): number {
  const source = text.trim();
  const sign = source.startsWith("-") ? -1 : 1;
  const body = source.replace(/^[+-]/, "");
  if (body === "0") return 0;

  let total = 0;
  COMPONENT.lastIndex = 0;
  while (COMPONENT.lastIndex < body.length) {
    const match = COMPONENT.exec(body);
    if (!match) throw invalidDuration(text);
    total += Number(match[1]) * (MS_PER_UNIT[match[2] ?? ""] ?? Number.NaN);
  }
  if (body === "" || !Number.isFinite(total)) throw invalidDuration(text);
  // Decimal fractions in binary floating point drift ("0.7s" → 700.0000000000001); nanoseconds
  // are the finest unit, so rounding there loses nothing.
  return (sign * Math.round(total * 1e6)) / 1e6;
}

function invalidDuration(text: string): EngineError {
  return new EngineError(
    "invalid_duration",
    `invalid duration ${JSON.stringify(text)}: expected numbers with units (ns, us, ms, s, m, h), e.g. "30s", "500ms" or "1m30s"`,
  );
}
