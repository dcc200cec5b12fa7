/**
 * `POST /events {type, data, id?, source?, aggregate_id?, aggregate_type?, metadata?}`: append a
 * domain event and queue it for the event triggers. With an `id` that is already stored the
 * append is a no-op (200, `duplicate: true`), so a client may retry safely.
 */
import type { Context } from "hono";
import { z } from "zod";
import { appendEvent } from "../../events/append";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { eventSchema } from "./view";

const optionalText = z.string().min(1).max(200).nullable().optional();

export const createEventBody = z
  .object({
    type: z.string().trim().min(1, "type must not be empty").max(200),
    data: z.unknown().optional(),
    id: z.string().trim().min(1).max(200).optional(),
    source: optionalText,
    aggregate_id: optionalText,
    aggregate_type: optionalText,
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const createEventDoc = describeRoute({
  summary: "Append a domain event",
  body: createEventBody,
  responses: {
    200: { description: "An event with this id was already stored; nothing was sent", schema: eventSchema.extend({ duplicate: z.literal(true) }) },
    201: { description: "The event, queued for the event triggers", schema: eventSchema.extend({ duplicate: z.literal(false) }) },
  },
});

export async function createEventRoute(c: Context<AppEnv>): Promise<Response> {
  const body = await readJson(c, createEventBody, "event");
  const appended = await appendEvent(c.env, { ...body, source: body.source ?? "api" });
  if (!appended.ok) throw new ApiError(400, "invalid_request", `Invalid event: ${appended.error}`, { path: appended.field });
  return c.json({ ...appended.event, duplicate: appended.duplicate }, appended.duplicate ? 200 : 201);
}
