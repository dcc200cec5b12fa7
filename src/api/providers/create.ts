/** `POST /providers`: register an OpenAI-compatible provider (409 when the name is taken). */
import type { Context } from "hono";
import { db } from "../../db/client";
import { insertProvider } from "../../db/providers";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { createProviderBody, providerViewSchema, registryOf, requireApiOwned, storedProvider } from "./document";

export const createProviderDoc = describeRoute({
  summary: "Register an OpenAI-compatible provider",
  body: createProviderBody,
  responses: { 201: { description: "The provider, key left out", schema: providerViewSchema } },
  errors: [409],
});

export async function createProviderRoute(c: Context<AppEnv>): Promise<Response> {
  const doc = await readJson(c, createProviderBody, "provider");
  const registry = registryOf(c);
  requireApiOwned(registry, doc.name);
  const stored = await storedProvider(c, doc.name, doc, undefined);
  if (!(await insertProvider(db(c.env.DB), stored))) {
    throw new ApiError(409, "conflict", `A provider named "${doc.name}" is already registered; use PUT /providers/${doc.name} to change it.`, { path: "name" });
  }
  return c.json(await registry.find(doc.name), 201);
}
