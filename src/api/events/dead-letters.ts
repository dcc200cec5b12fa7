/** `GET /events/dead-letters?limit=`: events whose delivery failed every attempt, with the last error. */
import type { Context } from "hono";
import { z } from "zod";
import { db } from "../../db/client";
import { listDeadLetters } from "../../db/events";
import type { AppEnv } from "../app-env";
import { invalidInput } from "../errors";
import { describeRoute } from "../openapi/describe";
import { deadLetterSchema } from "./view";

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();

export const listDeadLettersDoc = describeRoute({
  summary: "Events whose delivery failed every attempt",
  query: listQuery,
  responses: { 200: { description: "The dead letters, with the last error", schema: z.object({ data: z.array(deadLetterSchema) }) } },
});

export async function listDeadLettersRoute(c: Context<AppEnv>): Promise<Response> {
  const query = listQuery.safeParse(c.req.query());
  if (!query.success) throw invalidInput(query.error, "dead-letter list query");
  return c.json({ data: await listDeadLetters(db(c.env.DB), query.data.limit) });
}
