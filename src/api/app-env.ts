/** The Hono environment every route shares: the Worker's bindings. */
import type { Env } from "../env";

export interface AppEnv {
  Bindings: Env;
}
