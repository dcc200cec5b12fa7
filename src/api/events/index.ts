/**
 * The event bridge routes: `/events` (append, list, inspect, dead letters), `/mappings` (how
 * ingested payloads become events) and `/ingest` (see ingest.ts for its own authentication).
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createEventDoc, createEventRoute } from "./create";
import { listDeadLettersDoc, listDeadLettersRoute } from "./dead-letters";
import { getEventDoc, getEventRoute } from "./get";
import { listEventsDoc, listEventsRoute } from "./list";
import { listMappingsDoc, listMappingsRoute } from "./mapping-list";
import { deleteMappingDoc, deleteMappingRoute } from "./mapping-remove";
import { saveMappingDoc, saveMappingRoute } from "./mapping-save";

export { ingestApi } from "./ingest";

export const eventsApi = new Hono<AppEnv>()
  .post("/", createEventDoc, createEventRoute)
  .get("/", listEventsDoc, listEventsRoute)
  .get("/dead-letters", listDeadLettersDoc, listDeadLettersRoute)
  .get("/:id", getEventDoc, getEventRoute);

export const mappingsApi = new Hono<AppEnv>()
  .post("/", saveMappingDoc, saveMappingRoute)
  .get("/", listMappingsDoc, listMappingsRoute)
  .delete("/:path", deleteMappingDoc, deleteMappingRoute);
