/**
 * A contract ready for the gate: checked, its conditions compiled once, its transitions indexed
 * by operation. Loaded from what a run keeps (`ContractSnapshot`), so a run is governed by the
 * contract as it was when the run started, whatever the registry holds since.
 */
import type { ContractSnapshot } from "../engine/records";
import { checkContract } from "./check";
import { compileCondition, type Condition } from "./conditions";
import type { BoundContract, Entity, LifecycleTransition, Rule } from "./types";

export interface LoadedContract extends BoundContract {
  rules: Array<{ rule: Rule; condition: Condition }>;
  /** For each operation that moves entities: which, and how. */
  moves: Map<string, Array<{ name: string; entity: Entity; transition: LifecycleTransition }>>;
}

export type Loaded = { ok: true; contract: LoadedContract } | { ok: false; error: string };

export function loadContract(snapshot: ContractSnapshot): Loaded {
  const checked = checkContract(snapshot.document);
  if (!checked.contract) {
    const first = checked.problems.find((p) => p.severity === "error");
    return { ok: false, error: `the contract does not load: ${first ? `${first.path}: ${first.message}` : "unknown problem"}` };
  }
  const contract = checked.contract;
  const rules = contract.rules.map((rule) => {
    const compiled = compileCondition(rule.condition);
    // checkContract compiled every condition already; this cannot fail.
    if (!compiled.ok) throw new Error(`rule ${rule.id}: ${compiled.error}`);
    return { rule, condition: compiled.condition };
  });
  const moves: LoadedContract["moves"] = new Map();
  for (const [name, entity] of Object.entries(contract.entities)) {
    for (const transition of entity.transitions) moves.set(transition.tool, [...(moves.get(transition.tool) ?? []), { name, entity, transition }]);
  }
  return { ok: true, contract: { contract, version: snapshot.version, rules, moves } };
}
