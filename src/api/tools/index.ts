/** The tool service registry routes; credentials are write-only. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { registerToolDoc, registerToolRoute } from "./register";
import { getToolDoc, getToolRoute } from "./get";
import { listToolsDoc, listToolsRoute } from "./list";
import { deleteToolDoc, deleteToolRoute } from "./remove";

export const toolsApi = new Hono<AppEnv>()
  .post("/", registerToolDoc, registerToolRoute)
  .get("/", listToolsDoc, listToolsRoute)
  .get("/:name", getToolDoc, getToolRoute)
  .delete("/:name", deleteToolDoc, deleteToolRoute);
