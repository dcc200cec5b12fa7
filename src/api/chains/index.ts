/** The chain registry routes. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createChainDoc, createChainRoute } from "./create";
import { getChainDoc, getChainRoute } from "./get";
import { listChainsDoc, listChainsRoute } from "./list";
import { deleteChainDoc, deleteChainRoute } from "./remove";
import { updateChainDoc, updateChainRoute } from "./update";
import { validateChainDoc, validateChainRoute } from "./validate";

export const chainsApi = new Hono<AppEnv>()
  .post("/validate", validateChainDoc, validateChainRoute)
  .post("/", createChainDoc, createChainRoute)
  .get("/", listChainsDoc, listChainsRoute)
  .get("/:id", getChainDoc, getChainRoute)
  .put("/:id", updateChainDoc, updateChainRoute)
  .delete("/:id", deleteChainDoc, deleteChainRoute);
