/** Reading a number out of a model's answer, tolerating words around it ("about 42."). */

/** A decimal number with optional sign, fraction and exponent. */
export const NUMBER = /[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?/;

const NUMBERS = new RegExp(NUMBER.source, "gi");

/** The number an answer contains, when it contains exactly one; digit-group commas are ignored. */
export function onlyNumber(text: string): number | undefined {
  const found = text.replace(/(\d),(?=\d{3}\b)/g, "$1").match(NUMBERS) ?? [];
  if (found.length !== 1) return undefined;
  const value = Number(found[0]);
  return Number.isFinite(value) ? value : undefined;
}
