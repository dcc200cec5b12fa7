/** The group routes: named pools of backends a chain uses as `"model": "group:NAME"`. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createGroupDoc, createGroupRoute } from "./create";
import { getGroupDoc, getGroupRoute } from "./get";
import { listGroupsDoc, listGroupsRoute } from "./list";
import { deleteGroupDoc, deleteGroupRoute } from "./remove";

export const groupsApi = new Hono<AppEnv>()
  .post("/", createGroupDoc, createGroupRoute)
  .get("/", listGroupsDoc, listGroupsRoute)
  .get("/:name", getGroupDoc, getGroupRoute)
  .delete("/:name", deleteGroupDoc, deleteGroupRoute);
