/**
 * The contract at the capability gate (gate 2): whether one tool call may reach the service.
 * In order: the caller's role may use the operation; for an operation that moves an entity, the
 * entity's current state — read fresh from the system of record with the contract's read
 * operation, never taken from the caller — is one the transition starts from; and every rule
 * that governs the operation holds. The first check that fails refuses the call, and the caller
 * gets `{error: {type: "contract_violation", rule, message}}` instead of the service's answer.
 *
 * `decideCall` is the decision alone (pure but for the state read it is handed); `contractGate`
 * puts a `Governance` — whoever decides and keeps the record, the run's object — in front of
 * every call of a tool registry.
 */
import type { ContractDecision } from "../engine/records";
import type { CallGate } from "../tools/types";
import type { ConditionInput } from "./conditions";
import { celMessage } from "./conditions";
import type { LoadedContract } from "./load";
import { either } from "./render";
import { roleMayUse } from "./roles";

/** One call, as the gate is asked about it. */
export interface GatedCall {
  task_id: string;
  tool: string;
  args: unknown;
}

/** A call that went ahead and succeeded earlier in the run: what rules see as `history`. */
export interface HistoryEntry {
  tool: string;
  args: unknown;
  result: unknown;
}

export interface DecideContext {
  role: string;
  history: readonly HistoryEntry[];
  /** Calls a read operation, ungated. */
  read(tool: string, args: Record<string, unknown>): Promise<unknown>;
  now: number;
}

/** A decision before the run's record numbers it. */
export type Decision = Omit<ContractDecision, "seq">;

export async function decideCall(loaded: LoadedContract, call: GatedCall, context: DecideContext): Promise<Decision> {
  const base = { contract: loaded.contract.id, version: loaded.version, task_id: call.task_id, tool: call.tool, args: call.args, role: context.role, at: context.now };
  const refuse = (rule: string, message: string, entity?: ContractDecision["entity"]): Decision => ({ ...base, allowed: false, rule, message, ...(entity ? { entity } : {}) });
  if (!roleMayUse(loaded.contract, context.role, call.tool)) {
    return refuse("role", `The role "${context.role}" may not use ${call.tool} under contract "${loaded.contract.id}".`);
  }
  const args = isRecord(call.args) ? call.args : {};
  let entityData: Record<string, unknown> = {};
  let state = "";
  let entity: ContractDecision["entity"];
  for (const move of loaded.moves.get(call.tool) ?? []) {
    const read = await readState(move.name, move.entity.read, args, context);
    entity = read.entity;
    if (read.refusal !== undefined) return refuse("state_read", read.refusal, entity);
    if (!move.transition.from.includes(read.state)) {
      return refuse("lifecycle", `The ${move.name} is ${read.state}; ${call.tool} moves it only from ${either(move.transition.from)} (to ${move.transition.to}).`, entity);
    }
    if (state === "") {
      state = read.state;
      entityData = read.data;
    }
  }
  const input: ConditionInput = { args, entity: entityData, state, principal: { role: context.role }, history: [...context.history] };
  for (const { rule, condition } of loaded.rules) {
    if (!rule.tools.includes(call.tool) && !rule.tools.includes("*")) continue;
    let holds: boolean;
    try {
      holds = condition(input);
    } catch (error) {
      return refuse(rule.id, `${rule.message} (The rule could not be checked on this call: ${celMessage(error)}.)`, entity);
    }
    if (!holds) return refuse(rule.id, rule.message, entity);
  }
  return { ...base, allowed: true, ...(entity ? { entity } : {}) };
}

/** The refusal of every call when the contract that should govern them does not load. */
export function contractUnavailable(contract: { id: string; version: number }, call: GatedCall, role: string, error: string, now: number): Decision {
  const message = `Contract "${contract.id}" cannot govern these calls (${error}), so none goes ahead.`;
  return { contract: contract.id, version: contract.version, task_id: call.task_id, tool: call.tool, args: call.args, role, allowed: false, rule: "contract_unavailable", message, at: now };
}

/** What a refused call answers, to the model or program that made it. */
export function contractViolation(decision: Pick<ContractDecision, "rule" | "message">): { error: { type: "contract_violation"; rule: string; message: string } } {
  return { error: { type: "contract_violation", rule: decision.rule ?? "", message: decision.message ?? "" } };
}

/** Who decides about a governed run's calls, and keeps the record of it. */
export interface Governance {
  /** The decision about a call; undefined when the call's task is not governed by a contract. */
  decide(call: GatedCall, read: DecideContext["read"]): Promise<ContractDecision | undefined>;
  /** Records how an allowed call ended (a success joins the `history` later rules see). */
  settle(decision: ContractDecision, result: unknown): Promise<void>;
}

/** The registry gate: a refused call answers with the violation and never reaches the service. */
export function contractGate(governance: Governance): CallGate {
  return async ({ name, args, ctx }, proceed, read) => {
    const decision = await governance.decide({ task_id: ctx.taskId, tool: name, args }, (tool, readArgs) => read(tool, readArgs, ctx));
    if (!decision) return proceed();
    if (!decision.allowed) return contractViolation(decision);
    const result = await proceed();
    await governance.settle(decision, result);
    return result;
  };
}

/** Whether a tool's result is a failure (`{error}`), as tools report them. */
export function isFailure(result: unknown): boolean {
  return isRecord(result) && result.error !== undefined && result.error !== null;
}

type StateRead =
  | { refusal: string; entity: ContractDecision["entity"] }
  | { refusal?: undefined; entity: ContractDecision["entity"]; state: string; data: Record<string, unknown> };

async function readState(name: string, spec: LoadedContract["contract"]["entities"][string]["read"], args: Record<string, unknown>, context: DecideContext): Promise<StateRead> {
  const readArgs: Record<string, unknown> = {};
  for (const [param, path] of Object.entries(spec.args)) {
    const value = valueAt(args, path);
    if (value === undefined) {
      return { refusal: `The call does not say which ${name} it is about: argument "${path}" is missing, so the ${name}'s state cannot be read.`, entity: { name, read: { tool: spec.tool, args: readArgs }, state: null, error: `missing argument ${path}` } };
    }
    readArgs[param] = value;
  }
  const entity = (state: string | null, error?: string): ContractDecision["entity"] => ({ name, read: { tool: spec.tool, args: readArgs }, state, ...(error ? { error } : {}) });
  let result: unknown;
  try {
    result = await context.read(spec.tool, readArgs);
  } catch (error) {
    result = { error: error instanceof Error ? error.message : String(error) };
  }
  if (isFailure(result)) {
    const error = String(isRecord(result) && typeof result.error === "string" ? result.error : JSON.stringify(isRecord(result) ? result.error : result));
    return { refusal: `The ${name}'s current state could not be read with ${spec.tool} (${error}), so the call is refused.`, entity: entity(null, error) };
  }
  const state = valueAt(result, spec.state);
  if (typeof state !== "string") {
    return { refusal: `${spec.tool} answered without a state at "${spec.state}", so the ${name}'s state is unknown and the call is refused.`, entity: entity(null, `no state at ${spec.state}`) };
  }
  return { entity: entity(state), state, data: isRecord(result) ? result : {} };
}

/** The value at a dotted path (`customer.id`, `items.0.sku`). */
function valueAt(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => ((isRecord(node) || Array.isArray(node)) && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined), value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
