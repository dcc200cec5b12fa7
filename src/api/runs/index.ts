/** The run routes. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { decideApprovalRoute, listApprovalsRoute } from "./approvals";
import { cancelRunRoute } from "./cancel";
import { runChainRoute } from "./chain";
import { createRunRoute } from "./create";
import { runEventsRoute } from "./events";
import { forkRunRoute } from "./fork";
import { getRunRoute } from "./get";
import { listRunsRoute } from "./list";
import { replayRunRoute } from "./replay";
import { resyncRunRoute } from "./resync";
import { runStepsRoute } from "./steps";

export const runsApi = new Hono<AppEnv>()
  .post("/", createRunRoute)
  .get("/", listRunsRoute)
  .get("/:id", getRunRoute)
  .get("/:id/steps", runStepsRoute)
  .get("/:id/chain", runChainRoute)
  .get("/:id/events", runEventsRoute)
  .post("/:id/cancel", cancelRunRoute)
  .post("/:id/resync", resyncRunRoute)
  .post("/:id/fork", forkRunRoute)
  .post("/:id/replay", replayRunRoute)
  .get("/:id/approvals", listApprovalsRoute)
  .post("/:id/approvals/:call_id", decideApprovalRoute);
