/**
 * `PUT /providers/:name`: register or replace a provider. The key is write-only: leave
 * `api_key` out to keep the stored one, send null to remove it.
 */
import type { Context } from "hono";
import { db } from "../../db/client";
import { findProvider, saveProvider } from "../../db/providers";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { createdOrReplaced, describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { providerViewSchema, registryOf, requireApiOwned, storedProvider, updateProviderBody } from "./document";

export const updateProviderDoc = describeRoute({
  summary: "Register or replace a provider",
  body: updateProviderBody,
  responses: createdOrReplaced("The provider", providerViewSchema),
  errors: [409],
});

export async function updateProviderRoute(c: Context<AppEnv>): Promise<Response> {
  const name = c.req.param("name")!;
  const doc = await readJson(c, updateProviderBody, "provider");
  if (doc.name !== undefined && doc.name !== name) {
    throw new ApiError(400, "invalid_request", `The body names provider "${doc.name}" but the path names "${name}"; rename by registering the new name and deleting the old one.`, { path: "name" });
  }
  const registry = registryOf(c);
  requireApiOwned(registry, name);
  const d = db(c.env.DB);
  const previous = await findProvider(d, name);
  await saveProvider(d, await storedProvider(c, name, doc, previous));
  return c.json(await registry.find(name), previous ? 200 : 201);
}
