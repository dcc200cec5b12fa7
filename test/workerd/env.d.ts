/** The bindings test/workerd/wrangler.toml gives the `workers` test project. */
declare module "cloudflare:test" {
  interface ProvidedEnv {
    STORAGE: DurableObjectNamespace;
  }
}
