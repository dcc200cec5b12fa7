#!/usr/bin/env node
// `npm run dev`: create .dev.vars from the example when missing, apply D1 migrations to the
// local database, build the console and keep rebuilding it on change, then run `wrangler dev`
// (D1, Durable Objects, queues, cron, the Worker Loader and the console's static assets, all
// local). Extra arguments go to wrangler dev.
import { spawnSync, spawn } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("created .dev.vars from .dev.vars.example");
}
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"], { stdio: "inherit", env });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);
const built = spawnSync("node", ["scripts/build-ui.mjs"], { stdio: "inherit", env });
if (built.status !== 0) process.exit(built.status ?? 1);
const watcher = spawn("node", ["scripts/build-ui.mjs", "--watch"], { stdio: "inherit", env });
const dev = spawn("npx", ["wrangler", "dev", "--test-scheduled", ...process.argv.slice(2)], { stdio: "inherit", env });
dev.on("exit", (code) => {
  watcher.kill();
  process.exit(code ?? 0);
});
