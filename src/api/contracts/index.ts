/** The contract registry routes. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createContractRoute } from "./create";
import { getContractRoute } from "./get";
import { listContractsRoute } from "./list";
import { deleteContractRoute } from "./remove";
import { updateContractRoute } from "./update";
import { validateContractRoute } from "./validate";

export const contractsApi = new Hono<AppEnv>()
  .post("/validate", validateContractRoute)
  .post("/", createContractRoute)
  .get("/", listContractsRoute)
  .get("/:id", getContractRoute)
  .put("/:id", updateContractRoute)
  .delete("/:id", deleteContractRoute);
