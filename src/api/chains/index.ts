/** The chain registry routes. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createChainDoc, createChainRoute } from "./create";
import { getChainDoc, getChainRoute } from "./get";
import { listChainsDoc, listChainsRoute } from "./list";
import { deleteChainDoc, deleteChainRoute } from "./remove";
import { replayChainDoc, replayChainRoute } from "./replay";
import { updateChainDoc, updateChainRoute } from "./update";
import { validateChainDoc, validateChainRoute } from "./validate";
import { chainVersionsDoc, chainVersionsRoute } from "./versions";

export const chainsApi = new Hono<AppEnv>()
  .post("/validate", validateChainDoc, validateChainRoute)
  .post("/", createChainDoc, createChainRoute)
  .get("/", listChainsDoc, listChainsRoute)
  .get("/:id", getChainDoc, getChainRoute)
  .get("/:id/versions", chainVersionsDoc, chainVersionsRoute)
  .put("/:id", updateChainDoc, updateChainRoute)
  .delete("/:id", deleteChainDoc, deleteChainRoute)
  .post("/:id/replay", replayChainDoc, replayChainRoute);
