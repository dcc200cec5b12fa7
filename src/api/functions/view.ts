/**
 * The JSON shape of a function in API responses (the code only when one function is asked for),
 * with its zod schemas for /openapi.json.
 */
import { z } from "zod";
import type { StoredFunction } from "../../events/types";

export const functionSummarySchema = z
  .object({
    name: z.string(),
    hash: z.string().meta({ description: "SHA-256 of the code" }),
    grant: z.object({
      tools: z.array(z.string()),
      egress_allow: z.array(z.string()).optional(),
      limits: z.record(z.string(), z.number()).optional(),
      contract: z.string().optional().meta({ description: "The domain contract that governs its tool calls, as its trigger's role" }),
    }),
    created_at: z.number(),
    updated_at: z.number(),
  })
  .meta({ id: "FunctionSummary" }) satisfies z.ZodType<Omit<StoredFunction, "code">>;

export const functionSchema = functionSummarySchema.extend({ code: z.string() }).meta({ id: "Function" }) satisfies z.ZodType<StoredFunction>;

export function functionView(fn: StoredFunction, withCode: boolean) {
  const { code, ...rest } = fn;
  return withCode ? { ...rest, code } : rest;
}
