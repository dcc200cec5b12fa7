/**
 * The JSON shape of a contract in API responses, and the contract document requests carry, as
 * zod schemas for /openapi.json (both are the contract module's own schema).
 */
import { z } from "zod";
import { ContractSchema } from "../../contract/schema";
import type { Contract } from "../../contract/types";
import { problemSchema } from "../errors";

export interface ContractView {
  id: string;
  description?: string;
  version: number;
  source: "registry" | "bundled";
  definition: Contract;
}

/** A contract as written: JSON or JSONC. */
export const contractDocumentSchema = ContractSchema.meta({ id: "ContractDocument", description: "A domain contract as written (JSON or JSONC)" });

export const contractViewSchema = z
  .object({
    id: z.string(),
    description: z.string().optional(),
    version: z.number().meta({ description: "Each write is a new version; 0 for a bundled contract" }),
    source: z.enum(["registry", "bundled"]),
    definition: ContractSchema.meta({ id: "Contract", description: "The contract, normalised" }),
  })
  .meta({ id: "ContractView" }) satisfies z.ZodType<ContractView>;

/** A contract as a write answers it: with the warnings its check found. */
export const savedContractSchema = contractViewSchema.extend({ problems: z.array(problemSchema) });

/** A contract as `PUT` answers it: also whether it overrides a bundled contract of the same id. */
export const replacedContractSchema = savedContractSchema.extend({
  overrides_bundled: z.literal(true).optional().meta({ description: "Present when the stored contract overrides a bundled one (DELETE brings the bundled one back)" }),
});

export function contractView(c: { contract: Contract; version: number; source: "registry" | "bundled" }): ContractView {
  return { id: c.contract.id, description: c.contract.description, version: c.version, source: c.source, definition: c.contract };
}
