/**
 * FNV-1a, the one hash the mocks use to turn a string into stable numbers (embedding
 * components, weather readings, dataset fields): the same input gives the same answer on
 * every machine and every run, which is what makes mock outputs assertable.
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A stable number in [0, 1) for the given text. */
export function unitHash(text: string): number {
  return fnv1a(text) / 0x1_0000_0000;
}
