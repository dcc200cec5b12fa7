/**
 * Chains shipped in `chains/`, served by id without registration. The files are JSONC, so
 * they arrive as text (wrangler's Text rule) and are parsed and checked on first use.
 */
import codeMode from "../../chains/code-mode.json";
import defaultChain from "../../chains/default-chain.json";
import governedCodeMode from "../../chains/governed-code-mode.json";
import resilientChain from "../../chains/resilient-chain.json";
import safeChain from "../../chains/safe-chain.json";
import selfPacedChain from "../../chains/self-paced-chain.json";
import toolLoop from "../../chains/tool-loop.json";
import { parseChainText } from "../engine/parse";
import type { Chain } from "../engine/chain";

const SOURCES: Record<string, string> = {
  "default-chain": defaultChain,
  "self-paced-chain": selfPacedChain,
  "safe-chain": safeChain,
  "resilient-chain": resilientChain,
  "code-mode": codeMode,
  "governed-code-mode": governedCodeMode,
  "tool-loop": toolLoop,
};

const parsed = new Map<string, Chain>();

export function bundledChainIds(): string[] {
  return Object.keys(SOURCES);
}

export function bundledChain(id: string): Chain | undefined {
  const cached = parsed.get(id);
  if (cached) return cached;
  // Ids come from requests and programs: "constructor" must not find Object's.
  if (!Object.hasOwn(SOURCES, id)) return undefined;
  const source = SOURCES[id]!;
  const { chain, problems } = parseChainText(source);
  if (!chain) throw new Error(`bundled chain ${id} does not parse: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  parsed.set(id, chain);
  return chain;
}
