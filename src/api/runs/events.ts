/** `GET /runs/:id/events`: the run's Server-Sent Events; reconnect with `Last-Event-ID`. */
import type { Context } from "hono";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { requireRun } from "./get";

export async function runEventsRoute(c: Context<AppEnv>): Promise<Response> {
  const run = await requireRun(c);
  const headers = new Headers();
  const lastId = c.req.header("last-event-id");
  if (lastId) headers.set("last-event-id", lastId);
  return runStub(c.env, run.id).fetch(new Request(`https://run.internal/events`, { headers }));
}
