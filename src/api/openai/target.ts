/**
 * Which chain a chat completion runs, and with which vars. On `/v1/...` the request's `model`
 * names the chain. On `/openai/:chain/v1/...` the path names the chain, so `model` is free to
 * choose the LLM: it becomes the run var `model`, which chains read through `{{var:model}}`, and
 * the call goes to the backends that serve it (its pool). There, a `model` equal to the chain
 * id leaves the chain's own choice alone.
 */
import type { Context } from "hono";
import { chainToRun, type ResolvedChain } from "../../chains/resolve";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";

export interface Target {
  resolved: ResolvedChain;
  vars: Record<string, string>;
}

/** The chain named in the path, when the route has one. */
export function pathChain(c: Context<AppEnv>): string | undefined {
  return c.req.param("chain");
}

export async function requireChain(c: Context<AppEnv>, id: string, param: string | undefined): Promise<ResolvedChain> {
  const resolved = await chainToRun(c.env, id);
  if (resolved) return resolved;
  const message = param ? `The model "${id}" does not exist: models here are chains, and no chain has that id.` : `The chain "${id}" named in the path does not exist.`;
  throw new ApiError(404, "model_not_found", `${message} GET /v1/models lists the chains.`, { path: param });
}

export async function targetOf(c: Context<AppEnv>, model: string): Promise<Target> {
  const inPath = pathChain(c);
  if (inPath === undefined) return { resolved: await requireChain(c, model, "model"), vars: {} };
  const resolved = await requireChain(c, inPath, undefined);
  return { resolved, vars: model === inPath ? {} : { model } };
}
