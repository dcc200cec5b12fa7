#!/usr/bin/env node
// `switchyard` (package.json "bin", so `npx switchyard` works in a clone right after
// `npm install`): runs the TypeScript CLI through tsx, with no build step to forget.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
