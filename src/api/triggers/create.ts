/**
 * `POST /triggers`: a cron trigger `{name, type: "cron", schedule, chain_id, input?, vars?}` or
 * an event trigger `{name, type: "event", event_type, chain_id | function, vars?}`. A bad cron
 * expression is a 400 naming the cron field at fault; a chain or function that does not exist
 * is a 404. `role` is the role its runs act as (what a domain contract lets them do): by default
 * the caller's own; only an admin may give a trigger another role.
 */
import type { Context } from "hono";
import { z } from "zod";
import { resolveChain } from "../../chains/resolve";
import { db } from "../../db/client";
import { findFunction } from "../../db/functions";
import { insertTrigger } from "../../db/triggers";
import { parseCron } from "../../events/cron";
import type { Trigger } from "../../events/types";
import type { AppEnv } from "../app-env";
import { requireAdmin } from "../auth";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { triggerView, triggerViewSchema } from "./view";

const common = {
  name: z.string().trim().min(1, "name must not be empty").max(200),
  vars: z.record(z.string(), z.string({ error: "vars values must be strings" })).optional(),
  enabled: z.boolean().optional(),
  role: z.string().regex(/^[A-Za-z][\w-]*$/, "role must be a name of letters, digits, _ and -, starting with a letter").optional(),
};

const cronTrigger = z
  .object({
    ...common,
    type: z.literal("cron"),
    schedule: z.string().check((ctx) => {
      const parsed = parseCron(ctx.value);
      if (!parsed.ok) ctx.issues.push({ code: "custom", input: ctx.value, message: parsed.message });
    }),
    chain_id: z.string().min(1, "chain_id must not be empty"),
    input: z.unknown().optional(),
  })
  .strict();

const eventTrigger = z
  .object({
    ...common,
    type: z.literal("event"),
    event_type: z.string().trim().min(1, "event_type must not be empty (use * for every type)").max(200),
    chain_id: z.string().min(1, "chain_id must not be empty").optional(),
    function: z.string().min(1, "function must not be empty").optional(),
  })
  .strict()
  .check((ctx) => {
    if ((ctx.value.chain_id === undefined) === (ctx.value.function === undefined)) {
      ctx.issues.push({ code: "custom", input: ctx.value, path: ["chain_id"], message: "give exactly one of chain_id or function" });
    }
  });

export const createTriggerBody = z.discriminatedUnion("type", [cronTrigger, eventTrigger], {
  error: 'type must be "cron" or "event"',
});

export const createTriggerDoc = describeRoute({
  summary: "Create a cron or event trigger",
  body: createTriggerBody,
  responses: { 201: { description: "The trigger", schema: triggerViewSchema } },
  errors: [403, 404],
});

export async function createTriggerRoute(c: Context<AppEnv>): Promise<Response> {
  const body = await readJson(c, createTriggerBody, "trigger");
  const d = db(c.env.DB);
  if (body.chain_id !== undefined && !(await resolveChain(c.env, body.chain_id))) {
    throw new ApiError(404, "not_found", `No chain "${body.chain_id}" is registered or bundled.`, { path: "chain_id" });
  }
  if (body.type === "event" && body.function !== undefined && !(await findFunction(d, body.function))) {
    throw new ApiError(404, "not_found", `No function "${body.function}"; create it with POST /functions first.`, { path: "function" });
  }
  const role = body.role ?? c.get("role");
  if (role !== c.get("role")) requireAdmin(c.get("role"), `give a trigger a role other than its own ("${role}")`);
  const now = Date.now();
  const trigger: Trigger = {
    id: crypto.randomUUID(),
    name: body.name,
    type: body.type,
    schedule: body.type === "cron" ? body.schedule.trim() : null,
    event_type: body.type === "event" ? body.event_type : null,
    chain_id: body.chain_id ?? null,
    function: body.type === "event" ? (body.function ?? null) : null,
    input: body.type === "cron" ? (body.input ?? null) : null,
    vars: body.vars ?? {},
    role,
    enabled: body.enabled ?? true,
    created_at: now,
  };
  await insertTrigger(d, trigger);
  return c.json(triggerView(trigger, now), 201);
}
