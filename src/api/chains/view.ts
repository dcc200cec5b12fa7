/** The JSON shape of a chain in API responses. */
import type { Chain } from "../../engine/chain";

export interface ChainView {
  id: string;
  description?: string;
  version: number;
  source: "registry" | "bundled";
  definition: Chain;
}

export function chainView(c: { chain: Chain; version: number; source: "registry" | "bundled" }): ChainView {
  return { id: c.chain.id, description: c.chain.description, version: c.version, source: c.source, definition: c.chain };
}
