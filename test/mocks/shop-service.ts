/**
 * A mock OpenAPI "shop" on 127.0.0.1, the demo domain of the `orders` contract: orders in
 * different states and their customers, with operations to read, cancel, ship and refund an
 * order, verify a customer's identity, change their address and delete them. Like a real
 * system of record that trusts its callers, the shop enforces no lifecycle: it cancels a shipped
 * order if asked. Keeping that from happening is the contract's job, host-side, so a test can
 * tell a refusal by the shop never receiving the call (`calls`) and the order being unchanged.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isJsonObject, listenLocal, readJsonOrText, requestUrl, sendJson } from "./http";

export type OrderStatus = "placed" | "paid" | "shipped" | "delivered" | "cancelled" | "refunded";

export interface Order {
  order_id: string;
  customer_id: string;
  status: OrderStatus;
  total: number;
  items: string[];
  refunded_amount?: number;
}

export interface Customer {
  customer_id: string;
  name: string;
  address: string;
  /** What verify_identity must be given. */
  code: string;
}

export interface ShopCall {
  method: string;
  path: string;
  body: unknown;
}

export interface ShopService {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Every request but the spec's download, in arrival order. */
  calls: ShopCall[];
  order(id: string): Order | undefined;
  customer(id: string): Customer | undefined;
  /** A new order (a fresh id), for a test that changes one. */
  addOrder(order: Omit<Order, "order_id">): Order;
}

/** The orders and customers every shop starts with (the README's demo uses them). */
export const SEED_ORDERS: Order[] = [
  { order_id: "o-1001", customer_id: "c-1", status: "placed", total: 80, items: ["kettle"] },
  { order_id: "o-1002", customer_id: "c-1", status: "paid", total: 250, items: ["espresso machine"] },
  { order_id: "o-1003", customer_id: "c-2", status: "shipped", total: 150, items: ["bicycle lamp", "helmet"] },
  { order_id: "o-1004", customer_id: "c-2", status: "delivered", total: 40, items: ["book"] },
];

export const SEED_CUSTOMERS: Customer[] = [
  { customer_id: "c-1", name: "Ada Example", address: "1 Main Street, Springfield", code: "1234" },
  { customer_id: "c-2", name: "Bo Example", address: "2 Side Road, Shelbyville", code: "5678" },
];

export async function startShopService(options: { port?: number } = {}): Promise<ShopService> {
  const orders = new Map(SEED_ORDERS.map((o) => [o.order_id, structuredClone(o)]));
  const customers = new Map(SEED_CUSTOMERS.map((c) => [c.customer_id, structuredClone(c)]));
  const calls: ShopCall[] = [];
  let spec = "";
  let next = 2000;
  const server = await listenLocal(async (req, res) => {
    const url = requestUrl(req);
    if (req.method === "GET" && url.pathname === "/openapi.json") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(spec);
      return;
    }
    const body = await readJsonOrText(req);
    calls.push({ method: req.method ?? "GET", path: url.pathname, body });
    handle(req, res, url.pathname, body, orders, customers);
  }, options.port);
  spec = JSON.stringify(shopDocument(server.origin), null, 2);
  return {
    url: server.origin,
    port: server.port,
    close: server.close,
    calls,
    order: (id) => structuredClone(orders.get(id)),
    customer: (id) => structuredClone(customers.get(id)),
    addOrder(order) {
      const created = { ...structuredClone(order), order_id: `o-${++next}` };
      orders.set(created.order_id, created);
      return structuredClone(created);
    },
  };
}

function handle(req: IncomingMessage, res: ServerResponse, path: string, body: unknown, orders: Map<string, Order>, customers: Map<string, Customer>): void {
  const [, kind, id, action] = path.split("/");
  const fields = isJsonObject(body) ? body : {};
  if (kind === "orders" && id !== undefined) {
    const order = orders.get(id);
    if (!order) return sendJson(res, 404, { error: { message: `no order ${id}` } });
    const route = `${req.method} ${action ?? ""}`;
    if (route === "GET ") return sendJson(res, 200, order);
    if (route === "POST cancel") return sendJson(res, 200, Object.assign(order, { status: "cancelled" }));
    if (route === "POST ship") return sendJson(res, 200, Object.assign(order, { status: "shipped" }));
    if (route === "POST refund") {
      if (typeof fields.amount !== "number") return sendJson(res, 400, { error: { message: "amount must be a number" } });
      return sendJson(res, 200, Object.assign(order, { status: "refunded", refunded_amount: fields.amount }));
    }
  }
  if (kind === "customers" && id !== undefined) {
    const customer = customers.get(id);
    if (!customer) return sendJson(res, 404, { error: { message: `no customer ${id}` } });
    const route = `${req.method} ${action ?? ""}`;
    const { code: _code, ...visible } = customer;
    if (route === "GET ") return sendJson(res, 200, visible);
    if (route === "POST verify") {
      if (fields.code !== customer.code) return sendJson(res, 403, { error: { message: "the verification code is wrong" } });
      return sendJson(res, 200, { customer_id: id, verified: true });
    }
    if (route === "PUT address") {
      if (typeof fields.address !== "string") return sendJson(res, 400, { error: { message: "address must be text" } });
      customer.address = fields.address;
      return sendJson(res, 200, { ...visible, address: customer.address });
    }
    if (route === "DELETE ") {
      customers.delete(id);
      return sendJson(res, 200, { customer_id: id, deleted: true });
    }
  }
  sendJson(res, 404, { error: { message: `no operation ${req.method} ${path}` } });
}

const orderId = { name: "order_id", in: "path", required: true, schema: { type: "string" }, description: "The order, e.g. o-1001" };
const customerId = { name: "customer_id", in: "path", required: true, schema: { type: "string" }, description: "The customer, e.g. c-1" };
const order = {
  type: "object",
  properties: {
    order_id: { type: "string" },
    customer_id: { type: "string" },
    status: { type: "string", enum: ["placed", "paid", "shipped", "delivered", "cancelled", "refunded"] },
    total: { type: "number" },
    items: { type: "array", items: { type: "string" } },
    refunded_amount: { type: "number" },
  },
};
const jsonBody = (properties: Record<string, unknown>, required: string[]) => ({
  required: true,
  content: { "application/json": { schema: { type: "object", properties, required } } },
});
const ok = (schema: unknown) => ({ "200": { description: "OK", content: { "application/json": { schema } } } });

function shopDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: { title: "Demo shop", version: "1.0.0", description: "Orders and customers of a small shop (a Switchyard mock)." },
    servers: [{ url: serverUrl }],
    paths: {
      "/orders/{order_id}": { get: { operationId: "get_order", summary: "Read an order, with its current status", parameters: [orderId], responses: ok(order) } },
      "/orders/{order_id}/cancel": { post: { operationId: "cancel_order", summary: "Cancel an order", parameters: [orderId], responses: ok(order) } },
      "/orders/{order_id}/ship": { post: { operationId: "ship_order", summary: "Ship an order", parameters: [orderId], responses: ok(order) } },
      "/orders/{order_id}/refund": {
        post: { operationId: "refund_order", summary: "Refund an order", parameters: [orderId], requestBody: jsonBody({ amount: { type: "number", description: "How much to refund" } }, ["amount"]), responses: ok(order) },
      },
      "/customers/{customer_id}": {
        get: { operationId: "get_customer", summary: "Read a customer", parameters: [customerId], responses: ok({ type: "object" }) },
        delete: { operationId: "delete_customer", summary: "Delete a customer and their data", parameters: [customerId], responses: ok({ type: "object" }) },
      },
      "/customers/{customer_id}/verify": {
        post: { operationId: "verify_identity", summary: "Verify a customer's identity with the code they were sent", parameters: [customerId], requestBody: jsonBody({ code: { type: "string" } }, ["code"]), responses: ok({ type: "object" }) },
      },
      "/customers/{customer_id}/address": {
        put: { operationId: "change_address", summary: "Change a customer's postal address", parameters: [customerId], requestBody: jsonBody({ address: { type: "string" } }, ["address"]), responses: ok({ type: "object" }) },
      },
    },
  };
}
