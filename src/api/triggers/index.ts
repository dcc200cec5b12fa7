/** The trigger routes: cron and event triggers. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createTriggerRoute } from "./create";
import { getTriggerRoute } from "./get";
import { listTriggersRoute } from "./list";
import { deleteTriggerRoute } from "./remove";

export const triggersApi = new Hono<AppEnv>()
  .post("/", createTriggerRoute)
  .get("/", listTriggersRoute)
  .get("/:id", getTriggerRoute)
  .delete("/:id", deleteTriggerRoute);
