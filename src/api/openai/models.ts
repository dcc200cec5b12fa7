/**
 * `GET /v1/models`: every chain, as a model (a chat completion's `model` names a chain).
 * `GET /openai/:chain/v1/models`: the models a client may pick on that path — the chain itself
 * (its own choice of model) and every model the configured and registered providers list.
 */
import type { Context } from "hono";
import type { Model } from "openai/resources/models";
import { z } from "zod";
import { allChains } from "../../chains/resolve";
import { readConfig } from "../../config";
import { workerProviders } from "../../wiring/providers";
import type { AppEnv } from "../app-env";
import { describeRoute } from "../openapi/describe";
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

export async function modelsRoute(c: Context<AppEnv>): Promise<Response> {
  const inPath = pathChain(c);
  if (inPath === undefined) {
    const chains = await allChains(c.env);
    return c.json({ object: "list", data: chains.map((r) => model(r.chain.id, OWNER)) });
  }
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
  return c.json({ object: "list", data });
}
