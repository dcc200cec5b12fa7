/** The chain registry routes. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createChainRoute } from "./create";
import { getChainRoute } from "./get";
import { listChainsRoute } from "./list";
import { deleteChainRoute } from "./remove";
import { replayChainRoute } from "./replay";
import { updateChainRoute } from "./update";
import { validateChainRoute } from "./validate";
import { chainVersionsRoute } from "./versions";

export const chainsApi = new Hono<AppEnv>()
  .post("/validate", validateChainRoute)
  .post("/", createChainRoute)
  .get("/", listChainsRoute)
  .get("/:id", getChainRoute)
  .get("/:id/versions", chainVersionsRoute)
  .put("/:id", updateChainRoute)
  .delete("/:id", deleteChainRoute)
  .post("/:id/replay", replayChainRoute);
