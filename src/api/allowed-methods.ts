/**
 * Which methods the app answers at a path, for a 405 with `Allow` when a request names a known
 * path with another method (a 404 there would say the path does not exist). Read from the app's
 * own route table, so it stays true as routes are added.
 */
interface RouteEntry {
  method: string;
  path: string;
}

/** A route path as a regular expression: `:name` one segment, `:name{re}` its pattern, `*` anything. */
function pathPattern(path: string): RegExp {
  const source = path
    .split(/(:[A-Za-z0-9_]+(?:\{[^}]*\})?|\*)/)
    .map((part) => {
      if (part === "*") return ".*";
      const param = /^:[A-Za-z0-9_]+(?:\{([^}]*)\})?$/.exec(part);
      if (param) return param[1] ? `(?:${param[1]})` : "[^/]+";
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${source}/?$`);
}

/** A lookup of the methods `routes` serve at a path; middleware (`ALL`) and catch-alls are left out. */
export function allowedMethods(routes: () => readonly RouteEntry[]): (path: string) => string[] {
  let compiled: Array<{ method: string; pattern: RegExp }> | undefined;
  return (path) => {
    compiled ??= routes()
      .filter((r) => r.method !== "ALL" && !r.path.endsWith("*"))
      .map((r) => ({ method: r.method, pattern: pathPattern(r.path) }));
    const methods = new Set(compiled.filter((r) => r.pattern.test(path)).map((r) => r.method));
    if (methods.has("GET")) methods.add("HEAD");
    return [...methods].sort();
  };
}
