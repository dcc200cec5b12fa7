/** The group routes: named pools of backends a chain uses as `"model": "group:NAME"`. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createGroupRoute } from "./create";
import { getGroupRoute } from "./get";
import { listGroupsRoute } from "./list";
import { deleteGroupRoute } from "./remove";

export const groupsApi = new Hono<AppEnv>().post("/", createGroupRoute).get("/", listGroupsRoute).get("/:name", getGroupRoute).delete("/:name", deleteGroupRoute);
