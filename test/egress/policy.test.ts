import { describe, expect, it } from "vitest";
import { checkUrl, parseAllowList } from "../../src/egress/policy";
import type { EgressPolicy } from "../../src/egress/policy";

const open: EgressPolicy = { allow: [], publicNetwork: true };
const policy = (allow: string, only?: string[]): EgressPolicy => ({
  allow: parseAllowList(allow).entries,
  publicNetwork: true,
  ...(only ? { only: parseAllowList(only).entries } : {}),
});
const reason = (url: string, p: EgressPolicy = open) => {
  const check = checkUrl(url, p);
  return check.ok ? "allowed" : check.reason;
};

describe("checkUrl: schemes", () => {
  it("allows public http and https URLs", () => {
    expect(checkUrl("https://api.example.com/v1?q=1", open)).toMatchObject({ ok: true });
    expect(checkUrl("http://8.8.8.8:8080/", open)).toMatchObject({ ok: true });
    expect(checkUrl("http://172.32.0.1/", open)).toMatchObject({ ok: true });
    expect(checkUrl("http://[2606:4700::1111]/", open)).toMatchObject({ ok: true });
  });

  it.each(["ftp://example.com/", "file:///etc/passwd", "data:text/plain,hi", "ws://example.com/", "javascript:alert(1)"])(
    "refuses %s",
    (url) => {
      expect(reason(url)).toMatch(/^only http and https URLs may be fetched, not [a-z]+:$/);
    },
  );

  it("refuses text that is not an absolute URL", () => {
    expect(reason("/relative/path")).toBe('"/relative/path" is not an absolute URL');
  });
});

describe("checkUrl: non-public addresses", () => {
  it.each([
    ["http://127.0.0.1/", "127.0.0.1 is a loopback address"],
    ["http://127.255.1.2/", "127.255.1.2 is a loopback address"],
    ["http://10.0.0.1/", "10.0.0.1 is a private address"],
    ["http://172.16.0.1/", "172.16.0.1 is a private address"],
    ["http://172.31.255.255/", "172.31.255.255 is a private address"],
    ["http://192.168.1.1/", "192.168.1.1 is a private address"],
    ["http://169.254.169.254/latest/", "169.254.169.254 is a link-local address (where cloud metadata services live)"],
    ["http://169.254.0.1/", "169.254.0.1 is a link-local address (where cloud metadata services live)"],
    ["http://0.0.0.0/", "0.0.0.0 is a 'this network' address"],
    ["http://100.64.0.1/", "100.64.0.1 is a shared (carrier-grade NAT) address"],
    ["http://224.0.0.1/", "224.0.0.1 is a multicast address"],
    ["http://255.255.255.255/", "255.255.255.255 is a reserved or broadcast address"],
    ["http://localhost:8787/", "localhost is a loopback name"],
    ["http://LocalHost./", "localhost is a loopback name"],
    ["http://api.localhost/", "api.localhost is a loopback name"],
    ["http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal is a cloud metadata name"],
    ["http://[::1]/", "[::1] is a loopback address"],
    ["http://[::]/", "[::] is the unspecified address"],
    ["http://[fc00::1]/", "[fc00::1] is a unique local (private) address"],
    ["http://[fd12:3456::1]/", "[fd12:3456::1] is a unique local (private) address"],
    ["http://[fe80::1]/", "[fe80::1] is a link-local address"],
    ["http://[febf::1]/", "[febf::1] is a link-local address"],
    ["http://[ff02::1]/", "[ff02::1] is a multicast address"],
    ["http://[::ffff:127.0.0.1]/", "[::ffff:7f00:1] is an IPv4-mapped address"],
    ["http://[::ffff:8.8.8.8]/", "[::ffff:808:808] is an IPv4-mapped address"],
    ["http://[::127.0.0.1]/", "[::7f00:1] is an IPv4-compatible address"],
    ["http://[64:ff9b::10.0.0.1]/", "[64:ff9b::a00:1] is a NAT64 address of a private address"],
    ["http://[2002:a9fe:a9fe::1]/", "[2002:a9fe:a9fe::1] is a 6to4 address of a link-local address (where cloud metadata services live)"],
  ])("refuses %s", (url, expected) => {
    expect(reason(url)).toBe(`${expected}, refused unless EGRESS_ALLOW names it`);
  });

  it.each([
    ["http://2130706433/", "127.0.0.1"],
    ["http://0x7f.1/", "127.0.0.1"],
    ["http://0177.0.0.1/", "127.0.0.1"],
    ["http://127.1/", "127.0.0.1"],
    ["http://0xa9fea9fe/", "169.254.169.254"],
    ["http://%31%32%37.0.0.1/", "127.0.0.1"],
  ])("sees through the odd IPv4 spelling %s", (url, host) => {
    expect(reason(url)).toMatch(new RegExp(`^${host.replace(/\./g, "\\.")} is a `));
  });

  it("lets public NAT64 and 6to4 addresses through", () => {
    expect(reason("http://[64:ff9b::808:808]/")).toBe("allowed");
    expect(reason("http://[2002:808:808::1]/")).toBe("allowed");
  });
});

describe("checkUrl: allow-lists", () => {
  it("allows a private host the operator's allow-list names, on any port when none is given", () => {
    const p = policy("127.0.0.1, [::1]");
    expect(reason("http://127.0.0.1:9000/x", p)).toBe("allowed");
    expect(reason("http://[::1]:9/", p)).toBe("allowed");
    expect(reason("http://127.0.0.2/", p)).toMatch(/loopback address/);
  });

  it("allows a named host only on the named port, counting default ports", () => {
    const p = policy("localhost:8787 internal.corp:80 secure.corp:443");
    expect(reason("http://localhost:8787/", p)).toBe("allowed");
    expect(reason("http://localhost:8788/", p)).toMatch(/loopback name/);
    expect(reason("http://localhost/", p)).toMatch(/loopback name/);
    expect(checkUrl("http://10.1.1.1/", p).ok).toBe(false);
    expect(reason("https://secure.corp/", p)).toBe("allowed");
  });

  it("matches allow-list entries written in odd spellings after normalising them", () => {
    expect(reason("http://127.0.0.1/", policy("2130706433"))).toBe("allowed");
    expect(reason("http://[::1]/", policy("0:0:0:0:0:0:0:1"))).toBe("allowed");
  });

  it("makes a chain allow-list the only reachable hosts", () => {
    const p = policy("", ["api.example.com", "*.cdn.example.com:443"]);
    expect(reason("https://api.example.com/x", p)).toBe("allowed");
    expect(reason("https://img.cdn.example.com/a.png", p)).toBe("allowed");
    expect(reason("http://img.cdn.example.com/a.png", p)).toMatch(/not in this chain's egress allow-list/);
    expect(reason("https://cdn.example.com/", p)).toMatch(/not in this chain's egress allow-list/);
    expect(reason("https://other.com/", p)).toBe("other.com is not in this chain's egress allow-list (execute_config.egress_allow)");
  });

  it("never lets a chain allow-list open a non-public host by itself", () => {
    expect(reason("http://169.254.169.254/", policy("", ["169.254.169.254"]))).toMatch(/link-local address/);
    expect(reason("http://169.254.169.254/", policy("169.254.169.254", ["169.254.169.254"]))).toBe("allowed");
  });

  it("reaches nothing when a chain allow-list is empty", () => {
    expect(reason("https://example.com/", policy("", []))).toMatch(/not in this chain's egress allow-list/);
  });
});

describe("parseAllowList", () => {
  it("parses comma- or space-separated host[:port] entries", () => {
    expect(parseAllowList(" API.example.com:8443,localhost  [::1]:80 *.corp.io ").entries).toEqual([
      { host: "api.example.com", port: 8443, subdomains: false },
      { host: "localhost", subdomains: false },
      { host: "[::1]", port: 80, subdomains: false },
      { host: "corp.io", subdomains: true },
    ]);
  });

  it("reports invalid entries and leaves them out", () => {
    expect(parseAllowList(["ok.com", "http://x.com", "a.com/path", "h:0", "h:70000", ":80", "a b", "u@h"])).toEqual({
      entries: [{ host: "ok.com", subdomains: false }],
      invalid: ["http://x.com", "a.com/path", "h:0", "h:70000", ":80", "a b", "u@h"],
    });
  });

  it("reads an absent or empty list as no entries", () => {
    expect(parseAllowList(undefined)).toEqual({ entries: [], invalid: [] });
    expect(parseAllowList("")).toEqual({ entries: [], invalid: [] });
  });
});

describe("checkUrl: host names where the network does not refuse private addresses (wrangler dev)", () => {
  const local = (allow = "", only?: string[]): EgressPolicy => ({ ...policy(allow, only), publicNetwork: false });

  it.each(["http://vm:8788/__requests", "http://my-laptop.local/", "https://api.example.com/v1", "http://localhost./"])(
    "refuses %s, since it may resolve to a loopback or private address",
    (url) => {
      expect(reason(url, local())).toMatch(/ is (a loopback name|a host name this runtime may resolve to a private or loopback address)/);
    },
  );

  it("still fetches public IP literals, and names the operator lists", () => {
    expect(reason("http://8.8.8.8/", local())).toBe("allowed");
    expect(reason("http://[2606:4700::1111]/", local())).toBe("allowed");
    expect(reason("https://api.example.com/v1", local("api.example.com:443"))).toBe("allowed");
    expect(reason("http://api.example.com/v1", local("api.example.com:443"))).toMatch(/host name/);
  });

  it("a chain's allow-list cannot open a name the operator has not listed", () => {
    expect(reason("https://api.example.com/", local("", ["api.example.com"]))).toMatch(/host name/);
  });

  it("quotes a huge non-URL shortened, so a failed call's error stays small", () => {
    const check = checkUrl("y".repeat(120_000), local());
    expect(check).toEqual({ ok: false, reason: `"${"y".repeat(200)}… (120000 characters)" is not an absolute URL` });
  });
});
