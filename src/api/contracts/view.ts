/** The JSON shape of a contract in API responses. */
import type { Contract } from "../../contract/types";

export interface ContractView {
  id: string;
  description?: string;
  version: number;
  source: "registry" | "bundled";
  definition: Contract;
}

export function contractView(c: { contract: Contract; version: number; source: "registry" | "bundled" }): ContractView {
  return { id: c.contract.id, description: c.contract.description, version: c.version, source: c.source, definition: c.contract };
}
