/** The tool service registry routes; credentials are write-only. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { registerToolRoute } from "./register";
import { getToolRoute } from "./get";
import { listToolsRoute } from "./list";
import { deleteToolRoute } from "./remove";

export const toolsApi = new Hono<AppEnv>().post("/", registerToolRoute).get("/", listToolsRoute).get("/:name", getToolRoute).delete("/:name", deleteToolRoute);
