/**
 * The routed LLM and embeddings effects as the Worker builds them: the catalog of providers
 * and groups (configuration plus D1), the provider lookup that opens a key at call time, and
 * this isolate's copy of the shared routing state, exchanged with the routing object.
 *
 * Reading D1 for the catalog on every call would put a query on each call's path, so the
 * registered providers and groups are kept per isolate for a second (db/read-cache.ts). A call
 * the cached copy cannot place (a provider or group added since) reads D1 again at once.
 */
import type { Config } from "../config";
import { db } from "../db/client";
import { listGroups } from "../db/groups";
import { ReadCache } from "../db/read-cache";
import { d1ProviderStore } from "../db/providers";
import type { Embeddings, LLM } from "../engine/effects";
import type { Env } from "../env";
import { allGroups, type GroupView } from "../llm/groups";
import type { Catalog } from "../llm/pool";
import type { StoredProvider } from "../llm/provider-registry";
import { router } from "../llm/router";
import { RoutingState } from "../llm/routing-state";
import { defaultProvider, workerProviders } from "./providers";
import { routingObject } from "./routing-object";

const CATALOG_TTL_MS = 1_000;

/** Per isolate, shared by every run it hosts: module state on purpose. */
const state = new RoutingState();
const registered = new ReadCache<{ providers: StoredProvider[]; groups: GroupView[] }>(CATALOG_TTL_MS);

export function workerRouter(env: Env, config: Config): { llm: LLM; embeddings: Embeddings } {
  const store = d1ProviderStore(db(env.DB));
  async function read(): Promise<{ providers: StoredProvider[]; groups: GroupView[] }> {
    const [providers, groups] = await Promise.all([store.list(), listGroups(db(env.DB))]);
    return { providers, groups };
  }
  async function catalog(fresh: boolean): Promise<Catalog> {
    const { providers, groups } = await registered.get("catalog", read, fresh);
    const listed = await workerProviders(env, config, { list: async () => providers, find: store.find }).list();
    return { providers: listed, groups: allGroups(config.llm.groups.groups, groups), defaultName: defaultProvider(config)?.name };
  }
  return router({ catalog, open: workerProviders(env, config, store).lookup, state, remote: () => routingObject(env), defaults: config.llm.routing });
}
