/** The contract registry routes. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createContractDoc, createContractRoute } from "./create";
import { getContractDoc, getContractRoute } from "./get";
import { listContractsDoc, listContractsRoute } from "./list";
import { deleteContractDoc, deleteContractRoute } from "./remove";
import { updateContractDoc, updateContractRoute } from "./update";
import { validateContractDoc, validateContractRoute } from "./validate";

export const contractsApi = new Hono<AppEnv>()
  .post("/validate", validateContractDoc, validateContractRoute)
  .post("/", createContractDoc, createContractRoute)
  .get("/", listContractsDoc, listContractsRoute)
  .get("/:id", getContractDoc, getContractRoute)
  .put("/:id", updateContractDoc, updateContractRoute)
  .delete("/:id", deleteContractDoc, deleteContractRoute);
