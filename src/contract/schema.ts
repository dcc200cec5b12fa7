/**
 * The contract document as a zod schema. Objects are strict: a misspelt key (`"condtion"`) is a
 * problem with its path rather than a rule silently dropped, since a contract that means less
 * than it says is worse than one that does not load.
 */
import { z } from "zod";
import type { Contract } from "./types";

const name = z.string().min(1);
const names = z.array(name);

const read = z.strictObject({
  tool: name,
  args: z.record(z.string(), name).default({}),
  state: name,
});

const transition = z.strictObject({
  tool: name,
  from: names.min(1),
  to: name,
});

const entity = z.strictObject({
  description: z.string().optional(),
  states: names.min(1),
  read,
  transitions: z.array(transition).default([]),
});

const rule = z.strictObject({
  id: name,
  tools: names.min(1),
  condition: name,
  message: name,
});

export const ContractSchema = z.strictObject({
  id: name,
  description: z.string().optional(),
  entities: z.record(z.string(), entity).default({}),
  rules: z.array(rule).default([]),
  roles: z.record(z.string(), names).optional(),
}) satisfies z.ZodType<Contract>;
