/** Bundled chain files are imported as raw text (see the Text rule in wrangler.toml). */
declare module "*.json" {
  const text: string;
  export default text;
}

/** Files imported with a `?raw` suffix arrive as their text (wrangler's Text rule; Vite does the same in tests). */
declare module "*?raw" {
  const text: string;
  export default text;
}
