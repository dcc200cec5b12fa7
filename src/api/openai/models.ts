/**
 * `GET /v1/models`: every chain, as a model (a chat completion's `model` names a chain).
 * `GET /openai/:chain/v1/models`: the models a client may pick on that path — the chain itself
 * (its own choice of model) and every model the configured and registered providers list.
 * `GET …/models/:id`: one of those (OpenAI's `models.retrieve`), or a 404 in OpenAI's shape.
 */
import type { Context } from "hono";
import type { Model } from "openai/resources/models";
import { z } from "zod";
import { allChains } from "../../chains/resolve";
import { readConfig } from "../../config";
import { workerProviders } from "../../wiring/providers";
import type { AppEnv } from "../app-env";
import { describeRoute } from "../openapi/describe";
import { ApiError } from "../errors";
import { openAIErrorBody } from "./errors";
import { pathChain, requireChain } from "./target";

const OWNER = "switchyard";

function model(id: string, owned_by: string): Model {
  return { id, object: "model", created: 0, owned_by };
}

const modelSchema = z.object({ id: z.string(), object: z.literal("model"), created: z.number(), owned_by: z.string() }) satisfies z.ZodType<Model>;

export const modelsDoc = describeRoute({
  summary: "The models a client may pick",
  description: "On `/v1`, every chain; on `/openai/{chain}/v1`, the chain and every model its providers list.",
  responses: { 200: { description: "The models", schema: z.object({ object: z.literal("list"), data: z.array(modelSchema) }) } },
  errorSchema: openAIErrorBody,
});

export const modelDoc = describeRoute({
  summary: "One model a client may pick",
  responses: { 200: { description: "The model", schema: modelSchema } },
  errorSchema: openAIErrorBody,
});

export async function modelsRoute(c: Context<AppEnv>): Promise<Response> {
  return c.json({ object: "list", data: await modelsOf(c) });
}

export async function modelRoute(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param("id")!;
  const found = (await modelsOf(c)).find((m) => m.id === id);
  if (!found) throw new ApiError(404, "model_not_found", `The model "${id}" does not exist here; GET ${new URL(c.req.url).pathname.replace(/\/[^/]*$/, "")} lists the models.`, { path: "model" });
  return c.json(found);
}

async function modelsOf(c: Context<AppEnv>): Promise<Model[]> {
  const inPath = pathChain(c);
  if (inPath === undefined) return (await allChains(c.env)).map((r) => model(r.chain.id, OWNER));
  const { chain } = await requireChain(c, inPath, undefined);
  const providers = await workerProviders(c.env, readConfig(c.env)).list();
  const seen = new Set([chain.id]);
  const data = [model(chain.id, OWNER)];
  for (const provider of providers) {
    for (const { id } of provider.models) {
      if (seen.has(id)) continue;
      seen.add(id);
      data.push(model(id, provider.name));
    }
  }
  return data;
}
