/**
 * Contracts shipped in `contracts/`, served by id without registration (id = file name). The
 * files are JSONC, so they arrive as text (wrangler's Text rule) and are checked on first use.
 */
import orders from "../../contracts/orders.json";
import { checkContract } from "./check";
import type { Contract } from "./types";

const SOURCES: Record<string, string> = { orders };

const parsed = new Map<string, Contract>();

export function bundledContractIds(): string[] {
  return Object.keys(SOURCES);
}

export function bundledContract(id: string): Contract | undefined {
  const cached = parsed.get(id);
  if (cached) return cached;
  const source = Object.hasOwn(SOURCES, id) ? SOURCES[id] : undefined;
  if (source === undefined) return undefined;
  const { contract, problems } = checkContract(source);
  if (!contract) throw new Error(`bundled contract ${id} does not load: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  parsed.set(id, contract);
  return contract;
}
