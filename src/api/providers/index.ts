/** The provider registry routes; keys are write-only. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createProviderRoute } from "./create";
import { getProviderRoute } from "./get";
import { listProvidersRoute } from "./list";
import { deleteProviderRoute } from "./remove";
import { updateProviderRoute } from "./update";

export const providersApi = new Hono<AppEnv>()
  .post("/", createProviderRoute)
  .get("/", listProvidersRoute)
  .get("/:name", getProviderRoute)
  .put("/:name", updateProviderRoute)
  .delete("/:name", deleteProviderRoute);
