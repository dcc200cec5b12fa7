/**
 * Egress policy: which URLs sandboxed code and the `http_fetch` tool may reach. Only http and
 * https; loopback, private, link-local, metadata and other non-public addresses are refused
 * unless the operator's allow-list (`EGRESS_ALLOW`) names them; a chain's own allow-list
 * (`execute_config.egress_allow`) narrows what is reachable but can never open a non-public
 * address. Hosts are classified after WHATWG URL parsing, which already turns odd IPv4
 * spellings (`2130706433`, `0x7f.1`) into dotted decimal and IPv6 into its canonical form.
 *
 * A host name is another matter: what decides is the address it resolves to when the runtime
 * connects, and Workers has no DNS API to learn it here. So a name is fetched only where the
 * runtime's own network makes that decision on the resolved address (`publicNetwork`): on
 * Cloudflare, whose fetch refuses names that resolve to private or loopback addresses, and on a
 * self-hosted workerd whose `internet` network service keeps its default `allow = ["public"]`.
 * Elsewhere — `wrangler dev`, whose network reaches private and loopback addresses, where the
 * machine's own hostname or any /etc/hosts alias leads to local services — a name is refused
 * unless the operator's allow-list names it.
 */

export interface AllowEntry {
  /** Lower-case hostname as the URL parser writes it (IPv6 in brackets), no trailing dot. */
  host: string;
  /** Only this port when set; any port otherwise. */
  port?: number;
  /** `*.example.com`: any subdomain of `host`, not `host` itself. */
  subdomains: boolean;
}

export interface EgressPolicy {
  /** Operator allow-list (`EGRESS_ALLOW`): non-public hosts that may be reached anyway. */
  allow: readonly AllowEntry[];
  /** Chain allow-list (`execute_config.egress_allow`): when present, the only reachable hosts. */
  only?: readonly AllowEntry[];
  /**
   * Set when the runtime's network refuses non-public addresses after resolving a name
   * (`EGRESS_NETWORK=public`); unset, host names are refused unless `allow` names them.
   */
  publicNetwork?: boolean;
}

/** The operator's policy (EGRESS_ALLOW, EGRESS_NETWORK), narrowed by a chain's or function's own allow-list when given. */
export function egressPolicy(operator: { egressAllow: string; egressPublicNetwork: boolean }, only?: readonly string[]): EgressPolicy {
  return {
    allow: parseAllowList(operator.egressAllow).entries,
    publicNetwork: operator.egressPublicNetwork,
    ...(only ? { only: parseAllowList(only).entries } : {}),
  };
}

/** The URL as error messages quote it: a program can pass megabytes as a URL, and every failed call records its error. */
export function shortUrl(url: string): string {
  return url.length <= MAX_QUOTED_URL ? url : `${url.slice(0, MAX_QUOTED_URL)}… (${url.length} characters)`;
}

const MAX_QUOTED_URL = 200;

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Parses `host[:port]` entries (`*.example.com`, `[::1]:8080` and bare IPv6 are accepted), given
 * as comma- or whitespace-separated text or as a list. Invalid entries are reported and left out,
 * so a typo narrows what is reachable rather than widening it.
 */
export function parseAllowList(input: string | readonly string[] | undefined): {
  entries: AllowEntry[];
  invalid: string[];
} {
  const raw = typeof input === "string" ? input.split(/[\s,]+/) : [...(input ?? [])];
  const entries: AllowEntry[] = [];
  const invalid: string[] = [];
  for (const text of raw.map((t) => t.trim()).filter(Boolean)) {
    const entry = parseEntry(text);
    if (entry) entries.push(entry);
    else invalid.push(text);
  }
  return { entries, invalid };
}

function parseEntry(text: string): AllowEntry | undefined {
  const subdomains = text.startsWith("*.");
  const rest = subdomains ? text.slice(2) : text;
  const bareIpv6 = !rest.startsWith("[") && rest.split(":").length > 2;
  const match = /^(\[[^\]]+\]|[^:[\]/?#@\s]+)(?::(\d{1,5}))?$/.exec(bareIpv6 ? `[${rest}]` : rest);
  if (!match) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  try {
    const host = normalHost(new URL(`http://${match[1]}/`));
    return port === undefined ? { host, subdomains } : { host, port, subdomains };
  } catch {
    return undefined;
  }
}

export function checkUrl(input: string | URL, policy: EgressPolicy): UrlCheck {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    return { ok: false, reason: `${JSON.stringify(shortUrl(String(input)))} is not an absolute URL` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, reason: `only http and https URLs may be fetched, not ${url.protocol}` };
  }
  const host = normalHost(url);
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  if (policy.only && !allowed(policy.only, host, port)) {
    return { ok: false, reason: `${host} is not in this chain's egress allow-list (execute_config.egress_allow)` };
  }
  const kind = nonPublicKind(host) ?? (policy.publicNetwork || isAddress(host) ? undefined : UNJUDGED_NAME);
  if (kind && !allowed(policy.allow, host, port)) {
    return { ok: false, reason: `${host} is ${kind}, refused unless EGRESS_ALLOW names it` };
  }
  return { ok: true, url };
}

const UNJUDGED_NAME =
  'a host name this runtime may resolve to a private or loopback address (its network does not refuse them: EGRESS_NETWORK is not "public")';

/** An IP literal as the URL parser writes it (dotted IPv4, bracketed IPv6), as opposed to a name. */
function isAddress(host: string): boolean {
  return host.startsWith("[") || parseIpv4(host) !== undefined;
}

function normalHost(url: URL): string {
  return url.hostname.toLowerCase().replace(/\.$/, "");
}

function allowed(entries: readonly AllowEntry[], host: string, port: number): boolean {
  return entries.some(
    (e) =>
      (e.port === undefined || e.port === port) &&
      (e.subdomains ? host.endsWith(`.${e.host}`) : host === e.host),
  );
}

/** What kind of non-public address `host` is, or undefined for a public one. */
export function nonPublicKind(host: string): string | undefined {
  if (host === "localhost" || host.endsWith(".localhost")) return "a loopback name";
  if (host === "metadata.google.internal") return "a cloud metadata name";
  if (host.startsWith("[")) return ipv6Kind(host.slice(1, -1));
  const v4 = parseIpv4(host);
  return v4 === undefined ? undefined : ipv4Kind(v4);
}

const IPV4_RANGES = (
  [
    ["0.0.0.0", 8, "a 'this network' address"],
    ["10.0.0.0", 8, "a private address"],
    ["100.64.0.0", 10, "a shared (carrier-grade NAT) address"],
    ["127.0.0.0", 8, "a loopback address"],
    ["169.254.0.0", 16, "a link-local address (where cloud metadata services live)"],
    ["172.16.0.0", 12, "a private address"],
    ["192.0.0.0", 24, "an IETF protocol address"],
    ["192.168.0.0", 16, "a private address"],
    ["198.18.0.0", 15, "a benchmarking address"],
    ["224.0.0.0", 4, "a multicast address"],
    ["240.0.0.0", 4, "a reserved or broadcast address"],
  ] as const
).map(([base, bits, kind]) => ({ network: parseIpv4(base)!, mask: (~0 << (32 - bits)) >>> 0, kind }));

function ipv4Kind(address: number): string | undefined {
  return IPV4_RANGES.find((r) => ((address & r.mask) >>> 0) === r.network)?.kind;
}

function parseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function ipv6Kind(text: string): string | undefined {
  const groups = parseIpv6(text);
  if (!groups) return "an unparseable IPv6 address";
  const [g0 = 0, g1 = 0, g2 = 0, , , g5 = 0, g6 = 0, g7 = 0] = groups;
  const embedded = (hi: number, lo: number) => (hi * 65536 + lo) >>> 0;
  const leadingZeros = groups.slice(0, 5).every((g) => g === 0);
  if (groups.every((g) => g === 0)) return "the unspecified address";
  if (leadingZeros && g5 === 0 && g6 === 0 && g7 === 1) return "a loopback address";
  if (leadingZeros && g5 === 0xffff) return "an IPv4-mapped address";
  if (leadingZeros && g5 === 0) return "an IPv4-compatible address";
  if (g0 === 0x64 && g1 === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) {
    const kind = ipv4Kind(embedded(g6, g7));
    return kind && `a NAT64 address of ${kind}`;
  }
  if (g0 === 0x2002) {
    const kind = ipv4Kind(embedded(g1, g2));
    return kind && `a 6to4 address of ${kind}`;
  }
  if ((g0 & 0xfe00) === 0xfc00) return "a unique local (private) address";
  if ((g0 & 0xffc0) === 0xfe80) return "a link-local address";
  if ((g0 & 0xffc0) === 0xfec0) return "a site-local address";
  if ((g0 & 0xff00) === 0xff00) return "a multicast address";
  return undefined;
}

/** Eight 16-bit groups of an IPv6 address (`::` and a trailing dotted IPv4 allowed). */
function parseIpv6(text: string): number[] | undefined {
  let body = text.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (dotted) {
    const v4 = parseIpv4(dotted[1]!);
    if (v4 === undefined) return undefined;
    body = body.slice(0, dotted.index) + `${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const split = (s: string) => (s === "" ? [] : s.split(":"));
  const head = split(halves[0]!);
  const tail = halves.length === 2 ? split(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(missing).fill("0"), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return all.map((g) => parseInt(g, 16));
}
