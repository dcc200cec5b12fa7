/**
 * Groups: named pools of backends (`{ provider, model }` members, each with an optional weight
 * for the `random` policy), and the policy that picks among them. A chain uses one with
 * `"model": "group:NAME"`. Groups come from LLM_GROUPS (a JSON array, read like LLM_PROVIDERS)
 * or from `POST /groups`.
 */
import { z } from "zod";
import { ROUTING_POLICIES, type RoutingPolicy } from "../engine/routing";
import { readJsonSetting } from "./json-setting";
import { providerSchemas } from "./provider";

export const GROUP_PREFIX = "group:";

export interface GroupMember {
  provider: string;
  model: string;
  /** The member's share under the `random` policy (default 1). */
  weight?: number;
}

export interface Group {
  name: string;
  members: GroupMember[];
  policy?: RoutingPolicy;
}

/** A group as the API shows it. */
export interface GroupView extends Group {
  source: "config" | "api";
  created_at: number | null;
  updated_at: number | null;
}

export const groupSchemas = {
  name: providerSchemas.name,
  members: z
    .array(
      z.strictObject({
        provider: z.string().min(1, "a member names its provider"),
        model: z.string().min(1, "a member names its model"),
        weight: z.number().positive().optional(),
      }),
    )
    .min(1, "a group needs at least one member"),
  policy: z.enum(ROUTING_POLICIES, { error: `policy must be one of ${ROUTING_POLICIES.join(", ")}` }).optional(),
};

export type GroupSettings = { groups: Group[]; error?: undefined } | { groups: []; error: string };

const settingsSchema = z.array(z.strictObject(groupSchemas)).superRefine((groups, ctx) => {
  groups.forEach(({ name }, i) => {
    if (groups.findIndex((g) => g.name === name) < i) ctx.addIssue({ code: "custom", path: [i, "name"], message: `"${name}" is already another group's name` });
  });
});

export function readGroupSettings(value: unknown): GroupSettings {
  const read = readJsonSetting("LLM_GROUPS", value, settingsSchema);
  if (read === undefined) return { groups: [] };
  return read.error === undefined ? { groups: read.value } : { groups: [], error: read.error };
}

/** The group a model names (`group:NAME`), if it names one. */
export function groupNamed(model: string | undefined): string | undefined {
  return model?.startsWith(GROUP_PREFIX) ? model.slice(GROUP_PREFIX.length) : undefined;
}

/** The groups of configuration, then the registered ones; a registered group of a configured group's name is hidden by it. */
export function allGroups(configured: Group[], registered: GroupView[]): GroupView[] {
  const fromConfig: GroupView[] = configured.map((group) => ({ ...group, source: "config", created_at: null, updated_at: null }));
  return [...fromConfig, ...registered.filter((g) => !configured.some((c) => c.name === g.name))];
}
