/**
 * The contract gate's record for a governed function's execution (see `contractCalls`): each
 * decision numbered as it is recorded, settled once the call ends, and the successes read back
 * as the execution's history.
 */
import { and, asc, eq } from "drizzle-orm";
import type { ContractDecision } from "../engine/records";
import type { Db } from "./client";
import { contractCalls } from "./schema";

/** The decision is stored without its `seq`, which is the row's own. */
export async function recordContractCall(d: Db, execution: string, decision: Omit<ContractDecision, "seq">, now: number): Promise<ContractDecision> {
  const [row] = await d.insert(contractCalls).values({ execution, decision: JSON.stringify(decision), created_at: now }).returning({ seq: contractCalls.seq });
  return { seq: row!.seq, ...decision };
}

export async function settleContractCall(d: Db, { seq, ...decision }: ContractDecision, ok: boolean, result: unknown): Promise<void> {
  const settled = { ...decision, outcome: ok ? "ok" : "error" };
  await d
    .update(contractCalls)
    .set({ decision: JSON.stringify(settled), ok: ok ? 1 : 0, result: ok ? JSON.stringify(result ?? null) : null })
    .where(eq(contractCalls.seq, seq));
}

export async function contractCallHistory(d: Db, execution: string): Promise<Array<{ tool: string; args: unknown; result: unknown }>> {
  const rows = await d
    .select({ decision: contractCalls.decision, result: contractCalls.result })
    .from(contractCalls)
    .where(and(eq(contractCalls.execution, execution), eq(contractCalls.ok, 1)))
    .orderBy(asc(contractCalls.seq))
    .all();
  return rows.map((r) => {
    const { tool, args } = JSON.parse(r.decision) as Omit<ContractDecision, "seq">;
    return { tool, args, result: JSON.parse(r.result ?? "null") as unknown };
  });
}

export async function contractCallsOf(d: Db, execution: string): Promise<ContractDecision[]> {
  const rows = await d.select({ seq: contractCalls.seq, decision: contractCalls.decision }).from(contractCalls).where(eq(contractCalls.execution, execution)).orderBy(asc(contractCalls.seq)).all();
  return rows.map((r) => ({ seq: r.seq, ...(JSON.parse(r.decision) as Omit<ContractDecision, "seq">) }));
}
