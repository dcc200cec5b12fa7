/** The trigger routes: cron and event triggers, created, listed, paused or resumed, deleted. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createTriggerDoc, createTriggerRoute } from "./create";
import { getTriggerDoc, getTriggerRoute } from "./get";
import { listTriggersDoc, listTriggersRoute } from "./list";
import { deleteTriggerDoc, deleteTriggerRoute } from "./remove";
import { updateTriggerDoc, updateTriggerRoute } from "./update";

export const triggersApi = new Hono<AppEnv>()
  .post("/", createTriggerDoc, createTriggerRoute)
  .get("/", listTriggersDoc, listTriggersRoute)
  .get("/:id", getTriggerDoc, getTriggerRoute)
  .patch("/:id", updateTriggerDoc, updateTriggerRoute)
  .delete("/:id", deleteTriggerDoc, deleteTriggerRoute);
