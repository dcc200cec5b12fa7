/** The function routes: JS functions that event triggers run. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { getFunctionRoute } from "./get";
import { listFunctionsRoute } from "./list";
import { deleteFunctionRoute } from "./remove";
import { saveFunctionRoute } from "./save";

export const functionsApi = new Hono<AppEnv>()
  .post("/", saveFunctionRoute)
  .get("/", listFunctionsRoute)
  .get("/:name", getFunctionRoute)
  .delete("/:name", deleteFunctionRoute);
