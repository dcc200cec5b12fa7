/**
 * `GET /chains/:id/versions`: the chain's version history, newest first, each with its
 * definition, so versions can be compared. A bundled chain that was never overridden has none
 * (it is version 0, `GET /chains/:id`).
 */
import type { Context } from "hono";
import { z } from "zod";
import { bundledChain } from "../../chains/bundled";
import { db } from "../../db/client";
import { listChainVersions } from "../../db/chains";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { chainSchema } from "./view";

export const chainVersionsDoc = describeRoute({
  summary: "A chain's version history, newest first",
  description: "Each version with its definition. A bundled chain that was never overridden has none (it is version 0, `GET /chains/{id}`).",
  responses: {
    200: {
      description: "The versions",
      schema: z.object({ id: z.string(), data: z.array(z.object({ version: z.int(), created_at: z.number(), definition: chainSchema })) }),
    },
  },
});

export async function chainVersionsRoute(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param("id")!;
  const versions = await listChainVersions(db(c.env.DB), id);
  if (versions.length === 0 && !bundledChain(id)) throw new ApiError(404, "not_found", `No chain "${id}" is registered or bundled.`);
  return c.json({ id, data: versions.map((v) => ({ version: v.version, created_at: v.created_at, definition: v.chain })) });
}
