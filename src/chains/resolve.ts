/**
 * Finds the chain a request names: the registry first (so a bundled chain can be overridden),
 * then the bundled files. Returns the version a run must record.
 */
import { db } from "../db/client";
import { findChain, listChains } from "../db/chains";
import { ReadCache } from "../db/read-cache";
import type { Chain } from "../engine/chain";
import type { Env } from "../env";
import { bundledChain, bundledChainIds } from "./bundled";

/** Version recorded for bundled chains (they change only with a deploy). */
export const BUNDLED_VERSION = 0;
/** Version recorded for chains sent inline with a run. */
export const INLINE_VERSION = -1;

export interface ResolvedChain {
  chain: Chain;
  version: number;
  source: "registry" | "bundled";
}

/**
 * A run a request starts (the API, the OpenAI endpoint, code's sub-runs) takes its chain from a
 * copy kept per isolate for a second (db/read-cache.ts), so no request waits for D1 to start
 * one: a chain changed here is used at once, elsewhere within the second. Showing a chain
 * (`GET /chains/:id`) and firing a trigger read it fresh.
 */
const CHAIN_TTL_MS = 1_000;
const toRun = new ReadCache<ResolvedChain | undefined>(CHAIN_TTL_MS, (found) => found !== undefined);

export function chainToRun(env: Env, id: string): Promise<ResolvedChain | undefined> {
  return toRun.get(id, () => resolveChain(env, id));
}

/** After a chain was registered, changed or deleted. */
export function forgetChain(id: string): void {
  toRun.forget(id);
}

export async function resolveChain(env: Env, id: string): Promise<ResolvedChain | undefined> {
  const stored = await findChain(db(env.DB), id);
  if (stored) return { chain: stored.chain, version: stored.version, source: "registry" };
  const bundled = bundledChain(id);
  return bundled ? { chain: bundled, version: BUNDLED_VERSION, source: "bundled" } : undefined;
}

/** Every chain a user can run: registered ones plus bundled ones not overridden. */
export async function allChains(env: Env): Promise<ResolvedChain[]> {
  const stored = await listChains(db(env.DB));
  const registered = new Set(stored.map((s) => s.chain.id));
  const bundled = bundledChainIds()
    .filter((id) => !registered.has(id))
    .map((id) => ({ chain: bundledChain(id)!, version: BUNDLED_VERSION, source: "bundled" as const }));
  return [...stored.map((s) => ({ chain: s.chain, version: s.version, source: "registry" as const })), ...bundled].sort((a, b) =>
    a.chain.id.localeCompare(b.chain.id),
  );
}
