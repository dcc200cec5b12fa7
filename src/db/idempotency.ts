/**
 * Idempotency keys in D1 (see api/idempotency.ts): claiming a key is one insert that does
 * nothing when the key is held, then one read; a key older than its lifetime is taken over.
 */
import { and, eq, lt } from "drizzle-orm";
import type { Db } from "./client";
import { idempotencyKeys } from "./schema";

export type IdempotencyClaim = typeof idempotencyKeys.$inferSelect;

/**
 * The claim on `id`: the new one when the key was free (or had expired before `expiredBefore`),
 * else the one already held, with the run it started.
 */
export async function claimIdempotencyKey(d: Db, claim: IdempotencyClaim, expiredBefore: number): Promise<IdempotencyClaim> {
  await d.batch([
    d.delete(idempotencyKeys).where(and(eq(idempotencyKeys.id, claim.id), lt(idempotencyKeys.created_at, expiredBefore))),
    d.insert(idempotencyKeys).values(claim).onConflictDoNothing(),
  ]);
  const held = await d.select().from(idempotencyKeys).where(eq(idempotencyKeys.id, claim.id)).get();
  return held ?? claim;
}

/** Forgets keys past their lifetime (the scheduled handler calls this). */
export async function deleteExpiredIdempotencyKeys(d: Db, expiredBefore: number): Promise<void> {
  await d.delete(idempotencyKeys).where(lt(idempotencyKeys.created_at, expiredBefore));
}
