/** `GET /runs/:id/events`: the run's Server-Sent Events; reconnect with `Last-Event-ID`. */
import type { Context } from "hono";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { describeRoute } from "../openapi/describe";
import { requireRun } from "./get";

export const runEventsDoc = describeRoute({
  summary: "A run's events as Server-Sent Events",
  description:
    "Replays what happened so far, then follows the run live until `run.finished`. Events: `run.started`, `step.started`, `token` (`{task_id, handler, delta}`), `step.completed`, `approval.requested`, `run.waiting`, `approval.decided`, `run.resumed`, `contract.refused` (a domain contract's gate refused a tool call), `run.finished`. Reconnect with `Last-Event-ID` to continue after the last event seen.",
  responses: { 200: { description: "The event stream", mediaType: "text/event-stream" } },
});

export async function runEventsRoute(c: Context<AppEnv>): Promise<Response> {
  const run = await requireRun(c);
  const headers = new Headers();
  const lastId = c.req.header("last-event-id");
  if (lastId) headers.set("last-event-id", lastId);
  return runStub(c.env, run.id).fetch(new Request(`https://run.internal/events`, { headers }));
}
