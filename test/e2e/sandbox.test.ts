import { describe, expect, it } from "vitest";
import { api } from "./client";

const progs: Record<string, [string, Record<string, unknown>?]> = {
  loop: ["while (true) {}", { limits: { max_ticks: 100000 } }],
  rec: ["function f() { return f() + 1 } f()"],
  mem: ["const a = []; while (true) a.push('x'.repeat(1e6));", {}],
  never: ["await new Promise(() => {})", { limits: { wall_ms: 1000 } }],
  fetch127: ["const r = await fetch('http://127.0.0.1:8787/health'); return { s: r.status, b: await r.text() }"],
  fetchmeta: ["return await httpFetch('http://169.254.169.254/latest/meta-data/')"],
  nested: ["return await callTool('execute_js', { code: '1+1' })", { tools: ["execute_js"] }],
  notgranted: ["return await callTool('execute_js', { code: '1+1' })", { tools: [] }],
  toolsns: ["return await tools.execute_js({ code: '2+2' })", { tools: ["js_sandbox"] }],
  throwstr: ["throw 'boom'"],
  throwobj: ["throw { code: 42 }"],
  throwundef: ["throw undefined"],
  proto: ["Object.prototype.polluted = 'yes'; Array.prototype.push = () => 0; return {}"],
  hugelog: ["for (let i = 0; i < 100000; i++) console.log('line ' + i + ' '.repeat(100)); return 1"],
  hugeresult: ["return 'x'.repeat(2 * 1024 * 1024)"],
  task: ["const r = executeTask('hello', 'unscripted-model'); return r"],
  event: ["return sendEvent('test.sandbox', { a: 1 })"],
  chain: ["return executeTaskChain('no-such-chain', 'x')"],
  globals: ["return { g: typeof globalThis.CAPS, env: typeof env, ctx: typeof ctx, thisv: typeof this, keys: Object.keys(globalThis).slice(0, 50) }"],
};

describe("probe", () => {
  for (const [name, [code, cfg]] of Object.entries(progs)) {
    it(name, async () => {
      const chain = { id: "js-probe", tasks: [{ id: "js", handler: "run_js", execute_config: cfg ?? {} }] };
      const t = Date.now();
      const res = await api().post("/runs?wait=true", { chain, input: { code } });
      const out = res.body.output ?? res.body;
      const s = JSON.stringify({ status: res.body.status, ...out, code: undefined }).slice(0, 1500);
      console.log(name, Date.now() - t, "ms", s);
      const h = await fetch(api().baseUrl + "/health");
      console.log("health", h.status);
    });
  }
});
