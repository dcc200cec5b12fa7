/** The provider registry routes; keys are write-only, health is live. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createProviderDoc, createProviderRoute } from "./create";
import { getProviderDoc, getProviderRoute } from "./get";
import { listProvidersDoc, listProvidersRoute } from "./list";
import { deleteProviderDoc, deleteProviderRoute } from "./remove";
import { syncProviderDoc, syncProviderRoute } from "./sync";
import { updateProviderDoc, updateProviderRoute } from "./update";

export const providersApi = new Hono<AppEnv>()
  .post("/", createProviderDoc, createProviderRoute)
  .get("/", listProvidersDoc, listProvidersRoute)
  .get("/:name", getProviderDoc, getProviderRoute)
  .put("/:name", updateProviderDoc, updateProviderRoute)
  .post("/:name/sync", syncProviderDoc, syncProviderRoute)
  .delete("/:name", deleteProviderDoc, deleteProviderRoute);
