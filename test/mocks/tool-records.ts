/**
 * The tool service's deterministic dataset: `count` records `{id, name, category, score}` in
 * which exactly three satisfy the documented predicate (category "gold" and score above 95),
 * planted at fixed positions. Tests and code-mode scenarios page through it to find them.
 */
import { unitHash } from "./hash";

export type DataRecord = { id: number; name: string; category: string; score: number };

export const GOLD_PREDICATE = 'category is "gold" and score is above 95';
export const DEFAULT_RECORD_COUNT = 10_000;

export const CATEGORIES = ["bronze", "silver", "gold", "platinum", "iron"] as const;
const ADJECTIVES = ["amber", "brisk", "calm", "dusty", "eager", "faint", "grand", "hollow", "ivory", "jolly"];
const NOUNS = ["anchor", "beacon", "canyon", "delta", "ember", "fjord", "grove", "harbor", "island", "junction"];

export function buildRecords(count: number = DEFAULT_RECORD_COUNT): DataRecord[] {
  if (!Number.isInteger(count) || count < 3) throw new Error(`mock: records must be an integer >= 3, got ${count}`);
  const planted = new Set([Math.floor(count / 7), Math.floor(count / 2), count - 1 - Math.floor(count / 11)]);
  return Array.from({ length: count }, (_, index) => {
    const id = index + 1;
    const category = pick(CATEGORIES, `category:${id}`);
    const score = Math.round(unitHash(`score:${id}`) * 1000) / 10;
    const name = `${pick(ADJECTIVES, `adjective:${id}`)} ${pick(NOUNS, `noun:${id}`)} ${id}`;
    if (planted.has(index)) return { id, name, category: "gold", score: 96 + (id % 4) };
    // Everything not planted is kept off the predicate, so exactly three ever match.
    return { id, name, category, score: category === "gold" ? Math.min(score, 95) : score };
  });
}

function pick(words: readonly string[], seed: string): string {
  return words[Math.floor(unitHash(seed) * words.length)] ?? "plain";
}
