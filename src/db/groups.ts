/** Group queries; the `members` column holds the members as JSON. */
import { asc, eq } from "drizzle-orm";
import type { RoutingPolicy } from "../engine/routing";
import type { GroupMember, GroupView } from "../llm/groups";
import type { Db } from "./client";
import { groups } from "./schema";

export type StoredGroup = Omit<GroupView, "source" | "created_at" | "updated_at"> & { created_at: number; updated_at: number };

function toView(row: typeof groups.$inferSelect): GroupView {
  return {
    name: row.name,
    members: JSON.parse(row.members) as GroupMember[],
    ...(row.policy ? { policy: row.policy as RoutingPolicy } : {}),
    source: "api",
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function listGroups(d: Db): Promise<GroupView[]> {
  return (await d.select().from(groups).orderBy(asc(groups.name)).all()).map(toView);
}

/** Inserts a new group; false when one with that name exists. */
export async function insertGroup(d: Db, group: StoredGroup): Promise<boolean> {
  const row = { name: group.name, members: JSON.stringify(group.members), policy: group.policy ?? null, created_at: group.created_at, updated_at: group.updated_at };
  const inserted = await d.insert(groups).values(row).onConflictDoNothing().returning({ name: groups.name });
  return inserted.length > 0;
}

export async function deleteGroup(d: Db, name: string): Promise<boolean> {
  const deleted = await d.delete(groups).where(eq(groups.name, name)).returning({ name: groups.name });
  return deleted.length > 0;
}
