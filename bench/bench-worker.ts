/**
 * Starts the bench Worker (bench/worker, its own `wrangler.toml`) with `wrangler dev` on a free
 * loopback port, its state in a fresh temporary folder, and stops it with its process group.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWrangler, type WranglerDev } from "../test/e2e/dev-server";

export async function startBenchWorker(vars: Record<string, string> = {}): Promise<WranglerDev> {
  const args = ["-c", "bench/worker/wrangler.toml", "--persist-to", mkdtempSync(join(tmpdir(), "switchyard-bench-"))];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  return startWrangler(args, "/noop");
}
