/** The provider registry routes; keys are write-only, health is live. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createProviderRoute } from "./create";
import { getProviderRoute } from "./get";
import { listProvidersRoute } from "./list";
import { deleteProviderRoute } from "./remove";
import { syncProviderRoute } from "./sync";
import { updateProviderRoute } from "./update";

export const providersApi = new Hono<AppEnv>()
  .post("/", createProviderRoute)
  .get("/", listProvidersRoute)
  .get("/:name", getProviderRoute)
  .put("/:name", updateProviderRoute)
  .post("/:name/sync", syncProviderRoute)
  .delete("/:name", deleteProviderRoute);
