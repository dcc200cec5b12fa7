/**
 * The group document the API accepts (`{ name, members: [{ provider, model, weight? }], policy? }`),
 * and the groups as the API lists them: those of LLM_GROUPS first, then the registered ones.
 */
import type { Context } from "hono";
import { z } from "zod";
import { readConfig } from "../../config";
import { db } from "../../db/client";
import { listGroups } from "../../db/groups";
import { allGroups, groupSchemas, type GroupView } from "../../llm/groups";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";

export const groupBody = z.strictObject(groupSchemas);

export const groupViewSchema = z
  .object({
    ...groupSchemas,
    source: z.enum(["config", "api"]).meta({ description: "`config` for a group of LLM_GROUPS, which the API cannot change" }),
    created_at: z.number().nullable(),
    updated_at: z.number().nullable(),
  })
  .meta({ id: "Group" }) satisfies z.ZodType<GroupView>;

export async function groupsOf(c: Context<AppEnv>): Promise<GroupView[]> {
  const { groups } = readConfig(c.env).llm;
  if (groups.error !== undefined) throw new ApiError(500, "config_invalid", groups.error);
  return allGroups(groups.groups, await listGroups(db(c.env.DB)));
}

/** Refuses names LLM_GROUPS owns: the API cannot replace or delete those groups. */
export function requireApiOwnedGroup(c: Context<AppEnv>, name: string): void {
  if (readConfig(c.env).llm.groups.groups.some((g) => g.name === name)) {
    throw new ApiError(409, "conflict", `Group "${name}" comes from configuration (LLM_GROUPS); change it there, or register under another name.`, { path: "name" });
  }
}
