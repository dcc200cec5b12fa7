/**
 * Runs the mock shop (shop-service.ts: orders o-1001 placed, o-1002 paid, o-1003 shipped,
 * o-1004 delivered; customers c-1 and c-2) as a standalone process, for the README's domain
 * contract demo against `npm run dev`: `npm run demo:shop` serves it on 127.0.0.1:9100. Prints
 * its URL on stdout; stops on SIGINT or SIGTERM.
 */
import { parseArgs } from "node:util";
import { startShopService } from "./shop-service";

const { values } = parseArgs({ options: { port: { type: "string", default: "9100" } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`demo shop: --port must be an integer between 0 and 65535, got ${values.port}`);
  process.exit(2);
}

const shop = await startShopService({ port });
console.log(shop.url);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void shop.close().then(() => process.exit(0));
  });
}
