/**
 * Runs the mock OpenAPI tool service (weather, records, notes; tool-service.ts) as a standalone
 * process, for the README's examples against `npm run dev`: `npm run demo:tools` serves it on
 * 127.0.0.1:9000. Prints its URL on stdout; stops on SIGINT or SIGTERM.
 */
import { parseArgs } from "node:util";
import { startToolService } from "./tool-service";

const { values } = parseArgs({ options: { port: { type: "string", default: "9000" } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`demo tool service: --port must be an integer between 0 and 65535, got ${values.port}`);
  process.exit(2);
}

const service = await startToolService({ port, records: 100 });
console.log(service.url);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void service.close().then(() => process.exit(0));
  });
}
