/**
 * The routed LLM and embeddings effects as the Worker builds them: the catalog of providers
 * and groups (configuration plus D1), the provider lookup that opens a key at call time, and
 * this isolate's copy of the shared routing state, exchanged with the routing object.
 *
 * Reading D1 for the catalog on every call would put a query on each call's path, so the
 * registered providers and groups are kept per isolate for a second; a call that finds the copy
 * past half of that starts reading it again in the background, so under steady traffic no call
 * waits for the read. A call the cached copy cannot place (a provider or group added since)
 * reads D1 again at once.
 */
import type { Config } from "../config";
import { db } from "../db/client";
import { listGroups } from "../db/groups";
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
let registered: { at: number; providers: StoredProvider[]; groups: GroupView[] } | undefined;
/** When the last background read started (see above); one that never lands holds off others for a second only. */
let refreshStarted = 0;

export function workerRouter(env: Env, config: Config): { llm: LLM; embeddings: Embeddings } {
  const store = d1ProviderStore(db(env.DB));
  async function read(): Promise<NonNullable<typeof registered>> {
    const [providers, groups] = await Promise.all([store.list(), listGroups(db(env.DB))]);
    registered = { at: Date.now(), providers, groups };
    return registered;
  }
  async function catalog(fresh: boolean): Promise<Catalog> {
    const age = registered ? Date.now() - registered.at : Infinity;
    if (age > CATALOG_TTL_MS / 2 && age <= CATALOG_TTL_MS && !fresh && Date.now() - refreshStarted > CATALOG_TTL_MS) {
      refreshStarted = Date.now();
      read().catch(() => undefined);
    }
    const { providers, groups } = registered && age <= CATALOG_TTL_MS && !fresh ? registered : await read();
    const listed = await workerProviders(env, config, { list: async () => providers, find: store.find }).list();
    return { providers: listed, groups: allGroups(config.llm.groups.groups, groups), defaultName: defaultProvider(config)?.name };
  }
  return router({ catalog, open: workerProviders(env, config, store).lookup, state, remote: () => routingObject(env), defaults: config.llm.routing });
}
