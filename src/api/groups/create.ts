/** `POST /groups`: register a group of backends (409 when the name is taken); every member's provider must exist. */
import type { Context } from "hono";
import { db } from "../../db/client";
import { insertGroup } from "../../db/groups";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { registryOf } from "../providers/document";
import { readJson } from "../read-json";
import { groupBody, groupsOf, groupViewSchema, requireApiOwnedGroup } from "./document";

export const createGroupDoc = describeRoute({
  summary: "Register a group of backends",
  description: "A named pool a chain uses as `\"model\": \"group:NAME\"`; every member's provider must be configured or registered.",
  body: groupBody,
  responses: { 201: { description: "The group", schema: groupViewSchema } },
  errors: [409],
});

export async function createGroupRoute(c: Context<AppEnv>): Promise<Response> {
  const doc = await readJson(c, groupBody, "group");
  requireApiOwnedGroup(c, doc.name);
  const providers = (await registryOf(c).list()).map((p) => p.name);
  doc.members.forEach((member, i) => {
    if (!providers.includes(member.provider)) {
      throw new ApiError(400, "invalid_request", `Member ${i} names provider "${member.provider}", which is not configured or registered (providers: ${providers.join(", ") || "none"}).`, {
        path: `members[${i}].provider`,
      });
    }
  });
  const now = Date.now();
  if (!(await insertGroup(db(c.env.DB), { ...doc, created_at: now, updated_at: now }))) {
    throw new ApiError(409, "conflict", `A group named "${doc.name}" is already registered; delete it first to replace it.`, { path: "name" });
  }
  return c.json((await groupsOf(c)).find((g) => g.name === doc.name), 201);
}
