/** The Contenox-compatible routes: a one-shot prompt and a chain run to its end. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { executeDoc, executeRoute } from "./execute";
import { tasksDoc, tasksRoute } from "./tasks";

export const contenoxApi = new Hono<AppEnv>().post("/execute", executeDoc, executeRoute).post("/tasks", tasksDoc, tasksRoute);
