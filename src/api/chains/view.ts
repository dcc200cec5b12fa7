/**
 * The JSON shape of a chain in API responses, and the chain document requests carry, as zod
 * schemas for /openapi.json (both are the engine's own chain schema).
 */
import { z } from "zod";
import type { Chain } from "../../engine/chain";
import { ChainSchema } from "../../engine/schema";
import { problemSchema } from "../errors";

export interface ChainView {
  id: string;
  description?: string;
  version: number;
  source: "registry" | "bundled";
  definition: Chain;
}

/** A chain as written: JSON or JSONC, older Contenox spellings accepted. */
export const chainDocumentSchema = ChainSchema.meta({ id: "ChainDocument", description: "A chain as written (JSON or JSONC); older Contenox spellings are accepted" });

/** A stored chain's definition, normalised. */
export const chainSchema = ChainSchema.meta({ id: "Chain", description: "The chain, normalised" });

export const chainViewSchema = z
  .object({
    id: z.string(),
    description: z.string().optional(),
    version: z.number().meta({ description: "Each write is a new version; 0 for a bundled chain" }),
    source: z.enum(["registry", "bundled"]),
    definition: chainSchema,
  })
  .meta({ id: "ChainView" }) satisfies z.ZodType<ChainView>;

/** A chain as a write answers it: with the warnings its validation found. */
export const savedChainSchema = chainViewSchema.extend({ problems: z.array(problemSchema) });

/** A chain as `PUT` answers it: also whether it overrides a bundled chain of the same id. */
export const replacedChainSchema = savedChainSchema.extend({
  overrides_bundled: z.literal(true).optional().meta({ description: "Present when the stored chain overrides a bundled one (DELETE brings the bundled one back)" }),
});

export function chainView(c: { chain: Chain; version: number; source: "registry" | "bundled" }): ChainView {
  return { id: c.chain.id, description: c.chain.description, version: c.version, source: c.source, definition: c.chain };
}
