/** The function routes: JS functions that event triggers run. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { getFunctionDoc, getFunctionRoute } from "./get";
import { listFunctionsDoc, listFunctionsRoute } from "./list";
import { deleteFunctionDoc, deleteFunctionRoute } from "./remove";
import { saveFunctionDoc, saveFunctionRoute } from "./save";

export const functionsApi = new Hono<AppEnv>()
  .post("/", saveFunctionDoc, saveFunctionRoute)
  .get("/", listFunctionsDoc, listFunctionsRoute)
  .get("/:name", getFunctionDoc, getFunctionRoute)
  .delete("/:name", deleteFunctionDoc, deleteFunctionRoute);
