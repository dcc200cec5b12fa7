import { defineWorkersProject } from "@cloudflare/vitest-pool-workers/config";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

// wrangler.toml's Text rule for the bundled chains and contracts (JSONC, so not JSON), for
// workers tests that build the whole app.
const chainsAsText: Plugin = {
  name: "chains-as-text",
  enforce: "pre",
  async resolveId(source, importer) {
    if (!/(^|\/)(chains|contracts)\/[^/]+\.json$/.test(source)) return null;
    const resolved = await this.resolve(source, importer, { skipSelf: true });
    return resolved ? `${resolved.id}?raw` : null;
  },
};

// Three projects: `unit` runs pure modules in Node; `workers` runs `*.workers.test.ts` inside
// workerd (the test Worker in test/workerd/), for modules that need the runtime's own APIs, such
// as Durable Object SQLite storage; `e2e` drives a real `wrangler dev` (workerd, local D1,
// Durable Objects, queues, Worker Loader) started once by its global setup, and the console's
// tests in headless Chromium (test/browser/) against the same server.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/e2e/**", "test/browser/**", "test/**/*.workers.test.ts"],
          environment: "node",
        },
      },
      defineWorkersProject({
        plugins: [chainsAsText],
        test: {
          name: "workers",
          include: ["test/**/*.workers.test.ts"],
          pool: "@cloudflare/vitest-pool-workers",
          poolOptions: { workers: { wrangler: { configPath: "./test/workerd/wrangler.toml" } } },
        },
      }),
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts", "test/browser/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/e2e/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
