#!/usr/bin/env node
// Builds the console (ui/) into ui/dist, the Worker's static assets: esbuild bundles
// ui/src/main.tsx (Preact, JSX) into ui/dist/ui/assets/app.js and app.css, and the page shell is
// copied beside it. Prints the JavaScript's size and fails over the 250 KiB gzip budget.
// `--watch` rebuilds on every change (npm run dev).
import { context } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

const ROOT = join(dirname(new URL(import.meta.url).pathname), "..");
const UI = join(ROOT, "ui");
const OUT = join(UI, "dist");
const BUDGET = 250 * 1024;
const watch = process.argv.includes("--watch");

if (!watch) rmSync(OUT, { recursive: true, force: true });
mkdirSync(join(OUT, "ui", "assets"), { recursive: true });
for (const [from, to] of [["index.html", "index.html"], ["icon.svg", "ui/assets/icon.svg"]]) copyFileSync(join(UI, from), join(OUT, to));

const report = {
  name: "size",
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length > 0) return;
      if (watch) return console.log("console: rebuilt (development build, not minified)");
      const js = readFileSync(join(OUT, "ui", "assets", "app.js"));
      const gzip = gzipSync(js).length;
      const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
      console.log(`console: app.js ${kib(js.length)} raw, ${kib(gzip)} gzip (budget ${kib(BUDGET)})`);
      if (gzip > BUDGET) {
        console.error("the console's JavaScript is over its gzip budget");
        process.exitCode = 1;
      }
    });
  },
};

const ctx = await context({
  entryPoints: { app: join(UI, "src", "main.tsx") },
  outdir: join(OUT, "ui", "assets"),
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: !watch,
  sourcemap: watch ? "inline" : false,
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  logLevel: "warning",
  plugins: [report],
});
if (watch) {
  await ctx.watch();
} else {
  await ctx.rebuild();
  await ctx.dispose();
}
