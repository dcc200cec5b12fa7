/** The trigger routes: cron and event triggers, created, listed, paused or resumed, deleted. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createTriggerRoute } from "./create";
import { getTriggerRoute } from "./get";
import { listTriggersRoute } from "./list";
import { deleteTriggerRoute } from "./remove";
import { updateTriggerRoute } from "./update";

export const triggersApi = new Hono<AppEnv>()
  .post("/", createTriggerRoute)
  .get("/", listTriggersRoute)
  .get("/:id", getTriggerRoute)
  .patch("/:id", updateTriggerRoute)
  .delete("/:id", deleteTriggerRoute);
