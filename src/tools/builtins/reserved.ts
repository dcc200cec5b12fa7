/** Names a registered service may not take: the built-ins' service and tool names. */
export const RESERVED_SERVICE_NAMES: ReadonlySet<string> = new Set(["js_sandbox", "execute_js", "http", "http_fetch", "workspace"]);
