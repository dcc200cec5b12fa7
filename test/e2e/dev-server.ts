/**
 * Starts a real `wrangler dev` (workerd with local D1, Durable Objects, queues and the Worker
 * Loader) on a free loopback port, with its own persistence folder and migrations applied.
 * Used by the e2e global setup and by tests that must restart the server mid-run.
 *
 * The API's server runs without the console's static assets: with assets configured, wrangler
 * 4.86's local `/cdn-cgi/handler/scheduled` answers 500 (Miniflare's assets proxy cannot pass
 * `scheduled` on; fixed in later wrangler versions), and the cron tests fire their minutes through
 * it. The console's tests get a server of their own, with `wrangler.toml` as it is.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");

/** A running `wrangler dev`. */
export interface WranglerDev {
  url: string;
  stop(): Promise<void>;
  /** Kills workerd without a chance to clean up, as a crash or eviction would. */
  crash(): Promise<void>;
}

export interface DevServer extends WranglerDev {
  persistDir: string;
  vars: Record<string, string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

// Offline by design: no telemetry and no fetch of the `Request.cf` placeholder from Cloudflare.
const quietEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true", NO_COLOR: "1", FORCE_COLOR: "0" };

/**
 * `wrangler.toml` without its `[assets]` table, written beside it (relative paths stay valid;
 * the file is git-ignored). Written only when it changed: a running `wrangler dev` reloads when
 * its configuration file is touched.
 */
function apiOnlyConfig(): string {
  const path = join(ROOT, ".wrangler-api-only.toml");
  const config = readFileSync(join(ROOT, "wrangler.toml"), "utf8").replace(/^\[assets\]\n(?:(?!\[)[^\n]*\n?)*/m, "");
  if (!existsSync(path) || readFileSync(path, "utf8") !== config) writeFileSync(path, config);
  return path;
}

export function applyMigrations(persistDir: string): void {
  const result = spawnSync(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir, "--config", apiOnlyConfig()], { cwd: ROOT, env: quietEnv, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`migrations failed:\n${result.stdout}\n${result.stderr}`);
}

/** Builds the console into the static assets `wrangler dev` serves (it refuses to start without them). */
export function buildConsole(): void {
  const result = spawnSync(process.execPath, [join(ROOT, "scripts", "build-ui.mjs")], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`building the console failed:\n${result.stdout}\n${result.stderr}`);
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`wrangler dev did not answer ${url} within ${timeoutMs} ms:\n${log()}`);
}

/**
 * `wrangler dev <args>` on free loopback ports, ready once `probe` answers 200. A free port is
 * free only until someone takes it: between `freePort` closing it and workerd binding it, an
 * outgoing connection of a parallel test may get it as its ephemeral port. Then workerd exits
 * with "Address already in use", and new ports are the remedy.
 */
export async function startWrangler(args: string[], probe: string): Promise<WranglerDev> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const ports = ["--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(await freePort()), "--show-interactive-dev-session=false"];
    const child = spawn(WRANGLER, ["dev", ...args, ...ports], { cwd: ROOT, env: quietEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForHealth(`${url}${probe}`, child, () => output, 60_000);
    } catch (err) {
      killGroup(child, "SIGKILL");
      if (attempt < 3 && output.includes("Address already in use")) continue;
      throw err;
    }
    return { url, stop: () => stopChild(child, "SIGTERM"), crash: () => stopChild(child, "SIGKILL") };
  }
}

/** `console`: serve the console's static assets too (built first), as `wrangler.toml` says. */
export async function startDevServer(options: { vars: Record<string, string>; persistDir?: string; console?: boolean }): Promise<DevServer> {
  const persistDir = options.persistDir ?? mkdtempSync(join(tmpdir(), "switchyard-e2e-"));
  if (!options.persistDir) applyMigrations(persistDir);
  if (options.console) buildConsole();
  const config = options.console ? join(ROOT, "wrangler.toml") : apiOnlyConfig();
  const varArgs = Object.entries(options.vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const dev = await startWrangler(["--config", config, "--persist-to", persistDir, ...varArgs], "/health");
  return { ...dev, persistDir, vars: options.vars };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killGroup(child, signal);
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
