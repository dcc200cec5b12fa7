/**
 * Starts the bench Worker (bench/worker, its own `wrangler.toml`) with `wrangler dev` on a free
 * loopback port, its state in a fresh temporary folder, and stops it with its process group.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../test/e2e/dev-server";

const ROOT = join(import.meta.dirname, "..");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");

export interface BenchWorker {
  url: string;
  stop(): Promise<void>;
}

export async function startBenchWorker(vars: Record<string, string> = {}): Promise<BenchWorker> {
  const port = await freePort();
  const args = ["dev", "-c", "bench/worker/wrangler.toml", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(await freePort())];
  args.push("--persist-to", mkdtempSync(join(tmpdir(), "switchyard-bench-")), "--show-interactive-dev-session=false");
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  const child = spawn(WRANGLER, args, { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopGroup(child);
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/noop`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
  }
  await stop();
  throw new Error(`the bench Worker did not start:\n${output}`);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(-child.pid, "SIGTERM");
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
