/** The Hono environment every route shares: the Worker's bindings, and the caller's role once authenticated. */
import type { Env } from "../env";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** Set by `bearerAuth`: the role of the key the request presented (see api/auth.ts). */
    role: string;
  };
}
