/**
 * What a role may use: its list in the contract's `roles`, read like a task's tool grant —
 * `"*"` is every operation, a name is that operation or a whole service (`shop` for
 * `shop__cancel_order`), `"!name"` takes one out.
 */
import type { Contract } from "./types";

/** Whether `role` may use `tool` at all under `contract`. */
export function roleMayUse(contract: Contract, role: string, tool: string): boolean {
  if (contract.roles === undefined) return true;
  const grant = Object.hasOwn(contract.roles, role) ? contract.roles[role]! : [];
  const service = serviceOf(tool);
  const names = (g: string) => g === tool || (service !== undefined && g === service);
  if (grant.some((g) => g.startsWith("!") && names(g.slice(1)))) return false;
  return grant.some((g) => g === "*" || names(g));
}

/** `shop` for `shop__cancel_order`; undefined for a name without a service part. */
function serviceOf(tool: string): string | undefined {
  const cut = tool.indexOf("__");
  return cut > 0 ? tool.slice(0, cut) : undefined;
}
