/**
 * Checking a contract document (JSONC text or a JSON value): its shape, then what the shape
 * cannot tell — states a transition names but the entity lacks, conditions that do not compile,
 * rule ids used twice, and (when the registered tools are known) operations nothing provides.
 * Every problem carries its JSON path; a contract with an error never loads.
 */
import type { z } from "zod";
import type { Problem } from "../engine/errors";
import { forbiddenKeyMessage, forbiddenKeyPath } from "../engine/json-text";
import { formatPath, parseBoundedJsonc } from "../engine/parse";
import { compileCondition } from "./conditions";
import { ContractSchema } from "./schema";
import type { Contract } from "./types";

export interface ContractCheck {
  /** Set when no problem is an error. */
  contract?: Contract;
  problems: Problem[];
}

export interface CheckOptions {
  /** Registered operation names: operations the contract names that are not among them are warned about. */
  knownTools?: Iterable<string>;
}

export function checkContract(input: unknown, options: CheckOptions = {}): ContractCheck {
  if (typeof input !== "string") return checkContractValue(input, options);
  if (input.trim() === "") return { problems: [error("", `the contract text is empty: expected a JSON object with "id", "entities", "rules" and "roles"`)] };
  const parsed = parseBoundedJsonc(input);
  return parsed.ok ? checkContractValue(parsed.value, options) : { problems: parsed.problems };
}

function checkContractValue(value: unknown, options: CheckOptions): ContractCheck {
  const forbidden = forbiddenKeyPath(value);
  if (forbidden) return { problems: [error(formatPath(forbidden), forbiddenKeyMessage())] };
  const shaped = ContractSchema.safeParse(value, { error: describeIssue });
  if (!shaped.success) return { problems: shaped.error.issues.map((issue) => error(formatPath(issue.path), issue.message)) };
  const contract = shaped.data;
  const problems = [...idProblems(contract), ...entityProblems(contract), ...ruleProblems(contract), ...toolProblems(contract, options.knownTools)];
  return problems.some((p) => p.severity === "error") ? { problems } : { contract, problems };
}

function idProblems(contract: Contract): Problem[] {
  if (/^[A-Za-z0-9][\w.-]*$/.test(contract.id)) return [];
  return [error("id", `contract id "${contract.id}" may only contain letters, digits, "_", "." and "-" (it appears in URLs), and must start with a letter or digit`)];
}

function entityProblems(contract: Contract): Problem[] {
  return Object.entries(contract.entities).flatMap(([name, entity]) => {
    const at = `entities.${name}`;
    const states = new Set<string>();
    const problems: Problem[] = [];
    entity.states.forEach((state, i) => {
      if (states.has(state)) problems.push(error(`${at}.states[${i}]`, `entity "${name}" lists state "${state}" twice`));
      states.add(state);
    });
    const unknown = (state: string, path: string, how: string) =>
      states.has(state) ? [] : [error(path, `entity "${name}": ${how} "${state}", which is not one of its states (${[...states].join(", ")})`)];
    entity.transitions.forEach((t, i) => {
      t.from.forEach((from, j) => problems.push(...unknown(from, `${at}.transitions[${i}].from[${j}]`, `${t.tool} moves it from`)));
      problems.push(...unknown(t.to, `${at}.transitions[${i}].to`, `${t.tool} moves it to`));
    });
    return problems;
  });
}

function ruleProblems(contract: Contract): Problem[] {
  const seen = new Map<string, number>();
  return contract.rules.flatMap((rule, i) => {
    const problems: Problem[] = [];
    const first = seen.get(rule.id);
    if (first !== undefined) problems.push(error(`rules[${i}].id`, `rule id "${rule.id}" is already used by rules[${first}]; a refusal names its rule, so ids must be unique`));
    else seen.set(rule.id, i);
    const compiled = compileCondition(rule.condition);
    if (!compiled.ok) problems.push(error(`rules[${i}].condition`, `rule "${rule.id}": the condition is not valid CEL over args, entity, state, principal and history: ${compiled.error}`));
    return problems;
  });
}

function toolProblems(contract: Contract, knownTools: Iterable<string> | undefined): Problem[] {
  if (knownTools === undefined) return [];
  const known = new Set(knownTools);
  const named: Array<[string, string]> = [
    ...Object.entries(contract.entities).flatMap(([name, e]): Array<[string, string]> => [
      [`entities.${name}.read.tool`, e.read.tool],
      ...e.transitions.map((t, i): [string, string] => [`entities.${name}.transitions[${i}].tool`, t.tool]),
    ]),
    ...contract.rules.flatMap((r, i) => r.tools.map((tool, j): [string, string] => [`rules[${i}].tools[${j}]`, tool])),
  ];
  return named
    .filter(([, tool]) => tool !== "*" && !known.has(tool))
    .map(([path, tool]) => ({ severity: "warning", path, message: `operation "${tool}" is not registered (yet); the contract governs it once it is` }));
}

const EXPECTED: Record<string, string> = { string: "text", array: "a list", object: "an object", record: "an object" };

function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  const path = issue.path ?? [];
  const field = `"${String(path.findLast((segment) => typeof segment === "string") ?? "")}"`;
  switch (issue.code) {
    case "invalid_type":
      if (path.length === 0) return `a contract must be a JSON object with "id", "entities", "rules" and "roles"`;
      if (issue.input === undefined) return `${field} is required`;
      return `${field} must be ${EXPECTED[issue.expected] ?? issue.expected}`;
    case "too_small":
      return issue.origin === "string" ? `${field} must not be empty` : `${field} needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? "y" : "ies"}`;
    case "unrecognized_keys":
      return `unknown key${issue.keys.length === 1 ? "" : "s"} ${issue.keys.map((k) => `"${k}"`).join(", ")} (a contract has id, description, entities, rules and roles; an entity has description, states, read and transitions; a rule has id, tools, condition and message)`;
    default:
      return undefined;
  }
}

function error(path: string, message: string): Problem {
  return { severity: "error", path, message };
}
