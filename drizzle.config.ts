import { defineConfig } from "drizzle-kit";

// Migrations are generated into migrations/ as flat SQL files that
// `wrangler d1 migrations apply` understands.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
