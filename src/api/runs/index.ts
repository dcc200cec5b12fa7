/** The run routes. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { decideApprovalDoc, decideApprovalRoute, listApprovalsDoc, listApprovalsRoute } from "./approvals";
import { cancelRunDoc, cancelRunRoute } from "./cancel";
import { runChainDoc, runChainRoute } from "./chain";
import { createRunDoc, createRunRoute } from "./create";
import { runEventsDoc, runEventsRoute } from "./events";
import { forkRunDoc, forkRunRoute } from "./fork";
import { getRunDoc, getRunRoute } from "./get";
import { listRunsDoc, listRunsRoute } from "./list";
import { replayRunDoc, replayRunRoute } from "./replay";
import { resyncRunDoc, resyncRunRoute } from "./resync";
import { runStepsDoc, runStepsRoute } from "./steps";

export const runsApi = new Hono<AppEnv>()
  .post("/", createRunDoc, createRunRoute)
  .get("/", listRunsDoc, listRunsRoute)
  .get("/:id", getRunDoc, getRunRoute)
  .get("/:id/steps", runStepsDoc, runStepsRoute)
  .get("/:id/chain", runChainDoc, runChainRoute)
  .get("/:id/events", runEventsDoc, runEventsRoute)
  .post("/:id/cancel", cancelRunDoc, cancelRunRoute)
  .post("/:id/resync", resyncRunDoc, resyncRunRoute)
  .post("/:id/fork", forkRunDoc, forkRunRoute)
  .post("/:id/replay", replayRunDoc, replayRunRoute)
  .get("/:id/approvals", listApprovalsDoc, listApprovalsRoute)
  .post("/:id/approvals/:call_id", decideApprovalDoc, decideApprovalRoute);
