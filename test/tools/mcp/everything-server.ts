/**
 * The reference MCP server from the npm registry (`@modelcontextprotocol/server-everything`),
 * started through its own CLI on a free loopback port, over Streamable HTTP (`/mcp`) or the
 * older HTTP+SSE transport (`/sse`). It gets a bare environment: one of its tools prints it.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { freePort } from "../../e2e/dev-server";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const CLI = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");
const LOOPBACK_ONLY = pathToFileURL(join(import.meta.dirname, "loopback-only.mjs")).href;

export interface EverythingServer {
  /** The MCP endpoint: `…/mcp` (Streamable HTTP) or `…/sse`. */
  url: string;
  close(): Promise<void>;
}

export async function startEverythingServer(transport: "streamableHttp" | "sse" = "streamableHttp"): Promise<EverythingServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", LOOPBACK_ONLY, CLI, transport], {
    env: { PATH: process.env.PATH ?? "", PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the MCP server exited with ${child.exitCode}:\n${output}`);
    try {
      await fetch(`${origin}/`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`the MCP server did not listen on ${origin}:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url: `${origin}/${transport === "sse" ? "sse" : "mcp"}`,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
