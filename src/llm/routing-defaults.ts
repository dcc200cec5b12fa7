/**
 * The deployment's routing defaults: ROUTING_POLICY (where neither a task nor its group sets
 * one; `priority`, ordered failover, unless set), ROUTING_ALLOWED_FAILS (failures in a row
 * before a backend cools down, 3) and ROUTING_COOLDOWN_S (how long it sits out, 30 s). A
 * policy that names none of the known ones is an error every use of the providers reports.
 */
import { ROUTING_POLICIES, type RoutingPolicy } from "../engine/routing";

export interface RoutingDefaults {
  policy: RoutingPolicy;
  allowedFails: number;
  cooldownMs: number;
  error?: string;
}

const DEFAULT_ALLOWED_FAILS = 3;
const DEFAULT_COOLDOWN_S = 30;

export function readRoutingDefaults(env: { ROUTING_POLICY?: string; ROUTING_ALLOWED_FAILS?: string; ROUTING_COOLDOWN_S?: string }): RoutingDefaults {
  const allowedFails = Number(env.ROUTING_ALLOWED_FAILS);
  const cooldownS = Number(env.ROUTING_COOLDOWN_S);
  const defaults: RoutingDefaults = {
    policy: "priority",
    allowedFails: Number.isInteger(allowedFails) && allowedFails > 0 ? allowedFails : DEFAULT_ALLOWED_FAILS,
    cooldownMs: (cooldownS > 0 ? cooldownS : DEFAULT_COOLDOWN_S) * 1000,
  };
  const policy = env.ROUTING_POLICY;
  if (!policy) return defaults;
  if ((ROUTING_POLICIES as readonly string[]).includes(policy)) return { ...defaults, policy: policy as RoutingPolicy };
  return { ...defaults, error: `ROUTING_POLICY "${policy}" is not a routing policy; use one of ${ROUTING_POLICIES.join(", ")}.` };
}
