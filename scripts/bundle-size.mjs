#!/usr/bin/env node
// Prints the size of the bundle `wrangler deploy --dry-run --outdir dist` wrote, raw and
// gzipped, against the Workers limits (3 MiB free / 10 MiB paid, compressed), and fails the
// build when it is not well inside the smaller one.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dir = "dist";
const files = readdirSync(dir).filter((f) => !f.endsWith(".map") && statSync(join(dir, f)).isFile() && f !== "README.md");
const raw = files.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
const gzip = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f))).length, 0);
const limit = 3 * 1024 * 1024;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`bundle: ${files.length} files, ${kib(raw)} raw, ${kib(gzip)} gzip (${((gzip / limit) * 100).toFixed(1)}% of the 3 MiB free-plan limit)`);
if (gzip > limit / 2) {
  console.error("bundle is over half the free-plan limit");
  process.exit(1);
}
