/**
 * The contract for the model (gate 1): `{{contract}}` renders it compactly — entities, their
 * states and the operations that move them, the rules in words, and what this caller's role may
 * use — and `{{tools:typescript}}` adds to each operation's doc comment the transitions and rules
 * that govern it, so the program the model writes is shaped by them before the gate checks it.
 */
import { roleMayUse } from "./roles";
import type { BoundContract, Contract, Rule } from "./types";

/** What a step's macros show of a contract, for a role. */
export interface ContractText {
  /** `{{contract}}`. */
  text: string;
  /** Per operation, the lines `{{tools:typescript}}` adds to its doc comment. */
  notes: Record<string, string[]>;
}

export function contractText(bound: BoundContract, role: string): ContractText {
  return { text: renderContract(bound, role), notes: operationNotes(bound.contract, role) };
}

export function renderContract({ contract, version }: BoundContract, role: string): string {
  const lines = [`Domain contract "${contract.id}" (version ${version})${contract.description ? `: ${contract.description}` : ""}`];
  lines.push(`Your role is "${role}"; it may use ${roleScope(contract, role)}.`);
  const entities = Object.entries(contract.entities);
  if (entities.length > 0) {
    lines.push("", "Entities (before an operation that moves one, its current state is read from the system of record):");
    for (const [name, entity] of entities) {
      lines.push(`- ${name}${entity.description ? ` (${entity.description})` : ""}: states ${entity.states.join(", ")}; read with ${entity.read.tool}.`);
      for (const t of entity.transitions) lines.push(`  - ${t.tool}: from ${either(t.from)} to ${t.to}; refused in any other state.`);
    }
  }
  if (contract.rules.length > 0) {
    lines.push("", "Rules (checked on every call):");
    for (const rule of contract.rules) lines.push(`- ${rule.id} (${ruleScope(rule)}): ${rule.message}`);
  }
  lines.push("", 'A call the contract forbids never reaches the service: it answers { error: { type: "contract_violation", rule, message } }.');
  return lines.join("\n");
}

/** The doc-comment lines for each operation the contract mentions. */
export function operationNotes(contract: Contract, role: string): Record<string, string[]> {
  const notes: Record<string, string[]> = {};
  const add = (tool: string, line: string) => (notes[tool] ??= []).push(line);
  for (const [name, entity] of Object.entries(contract.entities)) {
    for (const t of entity.transitions) add(t.tool, `Contract: moves the ${name} from ${either(t.from)} to ${t.to}; refused when the ${name} is in any other state.`);
  }
  const mentioned = new Set([...Object.keys(notes), ...contract.rules.flatMap((r) => r.tools).filter((t) => t !== "*")]);
  for (const tool of mentioned) {
    for (const rule of contract.rules) if (rule.tools.includes(tool) || rule.tools.includes("*")) add(tool, `Contract rule ${rule.id}: ${rule.message}`);
    if (!roleMayUse(contract, role, tool)) add(tool, `Contract: your role "${role}" may not use this operation; a call is refused.`);
  }
  return notes;
}

function roleScope(contract: Contract, role: string): string {
  if (contract.roles === undefined) return "every operation";
  const grant = Object.hasOwn(contract.roles, role) ? contract.roles[role]! : [];
  const included = grant.filter((g) => !g.startsWith("!"));
  const excluded = grant.filter((g) => g.startsWith("!")).map((g) => g.slice(1));
  if (included.length === 0) return "no operation";
  const scope = included.includes("*") ? "every operation" : included.join(", ");
  return excluded.length > 0 ? `${scope}, except ${excluded.join(", ")}` : scope;
}

function ruleScope(rule: Rule): string {
  return rule.tools.includes("*") ? "every operation" : rule.tools.join(", ");
}

/** "placed", "placed or paid", "paid, shipped or delivered". */
export function either(states: string[]): string {
  return states.length <= 1 ? (states[0] ?? "") : `${states.slice(0, -1).join(", ")} or ${states.at(-1)}`;
}
