/**
 * Runs the mock LLM as a standalone process for `npm run dev` experiments and benches:
 * `npx tsx test/mocks/llm-server-cli.ts --port 8788 [--api-key KEY]`. Prints the OpenAI base
 * URL on stdout; script it over HTTP with llm-control.ts. Stops on SIGINT or SIGTERM.
 */
import { parseArgs } from "node:util";
import { startMockLLM } from "./llm-server";

const { values } = parseArgs({
  options: { port: { type: "string", default: "0" }, "api-key": { type: "string" } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`mock LLM: --port must be an integer between 0 and 65535, got ${values.port}`);
  process.exit(2);
}

const llm = await startMockLLM({ port, apiKey: values["api-key"] });
console.log(llm.url);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void llm.close().then(() => process.exit(0));
  });
}
