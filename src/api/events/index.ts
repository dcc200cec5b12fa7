/**
 * The event bridge routes: `/events` (append, list, inspect, dead letters), `/mappings` (how
 * ingested payloads become events) and `/ingest` (see ingest.ts for its own authentication).
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createEventRoute } from "./create";
import { listDeadLettersRoute } from "./dead-letters";
import { getEventRoute } from "./get";
import { listEventsRoute } from "./list";
import { listMappingsRoute } from "./mapping-list";
import { deleteMappingRoute } from "./mapping-remove";
import { saveMappingRoute } from "./mapping-save";

export { ingestApi } from "./ingest";

export const eventsApi = new Hono<AppEnv>()
  .post("/", createEventRoute)
  .get("/", listEventsRoute)
  .get("/dead-letters", listDeadLettersRoute)
  .get("/:id", getEventRoute);

export const mappingsApi = new Hono<AppEnv>().post("/", saveMappingRoute).get("/", listMappingsRoute).delete("/:path", deleteMappingRoute);
