/**
 * Finds the contract an id names: the registry first (so a bundled contract can be overridden),
 * then the bundled files; and the contracts a chain binds, as a run keeps them.
 */
import type { Chain } from "../engine/chain";
import type { ContractSnapshot } from "../engine/records";
import { db } from "../db/client";
import { findContract, listContracts } from "../db/contracts";
import type { Env } from "../env";
import { bundledContract, bundledContractIds } from "./bundled";
import type { Contract } from "./types";

/** Version recorded for bundled contracts (they change only with a deploy). */
export const BUNDLED_CONTRACT_VERSION = 0;

export interface ResolvedContract {
  contract: Contract;
  version: number;
  source: "registry" | "bundled";
}

export async function resolveContract(env: Env, id: string): Promise<ResolvedContract | undefined> {
  const stored = await findContract(db(env.DB), id);
  if (stored) return { contract: stored.contract, version: stored.version, source: "registry" };
  const bundled = bundledContract(id);
  return bundled ? { contract: bundled, version: BUNDLED_CONTRACT_VERSION, source: "bundled" } : undefined;
}

/** Every contract there is: registered ones plus bundled ones not overridden. */
export async function allContracts(env: Env): Promise<ResolvedContract[]> {
  const stored = await listContracts(db(env.DB));
  const registered = new Set(stored.map((s) => s.contract.id));
  const bundled = bundledContractIds()
    .filter((id) => !registered.has(id))
    .map((id) => ({ contract: bundledContract(id)!, version: BUNDLED_CONTRACT_VERSION, source: "bundled" as const }));
  return [...stored.map((s) => ({ contract: s.contract, version: s.version, source: "registry" as const })), ...bundled].sort((a, b) => a.contract.id.localeCompare(b.contract.id));
}

/** The contract ids a chain binds: its own and its tasks'. */
export function boundContractIds(chain: Chain): string[] {
  return [...new Set([chain.contract, ...chain.tasks.map((t) => t.contract)].filter((id): id is string => id !== undefined))];
}

/** The snapshots a run of `chain` keeps, or the first id that names no contract. */
export async function contractSnapshots(env: Env, chain: Chain): Promise<{ ok: true; contracts?: Record<string, ContractSnapshot> } | { ok: false; missing: string }> {
  const ids = boundContractIds(chain);
  if (ids.length === 0) return { ok: true };
  const contracts: Record<string, ContractSnapshot> = {};
  for (const id of ids) {
    const found = await resolveContract(env, id);
    if (!found) return { ok: false, missing: id };
    contracts[id] = { version: found.version, document: found.contract };
  }
  return { ok: true, contracts };
}
