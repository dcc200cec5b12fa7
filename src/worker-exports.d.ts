/**
 * Types `ctx.exports` / `exports` from "cloudflare:workers" after the Worker's own exports (the
 * sandbox entrypoints the wiring hands to isolates). Ambient, so no module imports the app to
 * get it.
 */
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./index");
    durableNamespaces: "ChainRun" | "Routing";
  }
}
