/** Bundled chain files are imported as raw text (see the Text rule in wrangler.toml). */
declare module "*.json" {
  const text: string;
  export default text;
}
