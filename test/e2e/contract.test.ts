/**
 * The domain contract end to end, against the mock shop registered as the tool service "shop"
 * and the bundled `orders` contract: code mode (`governed-code-mode`, programs scripted through
 * the mock LLM) and a tool loop under the contract. Every refusal happens host-side — the shop
 * never receives the call and its data is unchanged — and the caller gets
 * `{error: {type: "contract_violation", rule, message}}`; the run's steps record the gate's
 * decisions with the state it read, and its events a `contract.refused` for each refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startShopService, type ShopService } from "../mocks/shop-service";
import { api, eventually, llm, runSteps, unique, type Client } from "./client";
import { ROLE_KEYS } from "./global-setup";

let shop: ShopService;
const admin = () => api();
const agent = () => api(undefined, ROLE_KEYS.agent);
const manager = () => api(undefined, ROLE_KEYS.manager);

beforeAll(async () => {
  shop = await startShopService();
  const registered = await admin().post("/tools", { name: "shop", type: "openapi", url: shop.url });
  expect(registered.body).toMatchObject({ name: "shop" });
});

afterAll(async () => {
  await admin().delete("/tools/shop");
  await shop?.close();
});

/** Runs `governed-code-mode` as `client`'s role with `program` as the model's code; the run, its steps and the program's result. */
async function runProgram(client: Client, program: string) {
  const model = unique("governed");
  await llm().script(model, [{ content: "```js\n" + program + "\n```" }]);
  const res = await client.post("/runs?wait=true", { chain_id: "governed-code-mode", input: "Do what the program does.", vars: { model } });
  expect(res.status).toBe(200);
  const steps = await runSteps(admin(), res.body.id);
  const envelope = steps.find((s) => s.task_id === "run_js")!.output;
  expect(envelope.ok).toBe(true);
  return { run: res.body, steps, result: envelope.result as Record<string, any>, model };
}

/** The requests the shop received for `path`, by method. */
function received(method: string, path: string) {
  return shop.calls.filter((c) => c.method === method && c.path === path);
}

const violation = (rule: string) => ({ error: { type: "contract_violation", rule, message: expect.any(String) } });

describe("code mode under the orders contract", () => {
  it("refuses to cancel a shipped order without the shop receiving the cancel, and cancels a placed one", async () => {
    const shipped = shop.addOrder({ customer_id: "c-2", status: "shipped", total: 60, items: ["lamp"] });
    const placed = shop.addOrder({ customer_id: "c-1", status: "placed", total: 20, items: ["mug"] });
    const { run, steps, result } = await runProgram(
      agent(),
      [
        `const shipped = await tools.shop.cancel_order({ order_id: "${shipped.order_id}" });`,
        `const placed = await tools.shop.cancel_order({ order_id: "${placed.order_id}" });`,
        "return { answer: 'done', shipped, placed };",
      ].join("\n"),
    );
    expect(result.shipped).toEqual(violation("lifecycle"));
    expect(result.shipped.error.message).toContain("shipped");
    expect(result.placed).toMatchObject({ order_id: placed.order_id, status: "cancelled" });

    expect(received("POST", `/orders/${shipped.order_id}/cancel`)).toEqual([]);
    expect(shop.order(shipped.order_id)!.status).toBe("shipped");
    expect(received("GET", `/orders/${shipped.order_id}`)).toHaveLength(1);
    expect(received("POST", `/orders/${placed.order_id}/cancel`)).toHaveLength(1);
    expect(shop.order(placed.order_id)!.status).toBe("cancelled");

    expect(run.principal).toBe("agent");
    expect(JSON.stringify(run)).not.toContain(ROLE_KEYS.agent);
    expect(run.contracts).toEqual({ orders: 0 });
    const decisions = steps.find((s) => s.task_id === "run_js")!.contract_decisions;
    expect(decisions).toEqual([
      expect.objectContaining({
        contract: "orders",
        tool: "shop__cancel_order",
        args: { order_id: shipped.order_id },
        role: "agent",
        allowed: false,
        rule: "lifecycle",
        entity: { name: "order", read: { tool: "shop__get_order", args: { order_id: shipped.order_id } }, state: "shipped" },
      }),
      expect.objectContaining({ tool: "shop__cancel_order", allowed: true, outcome: "ok", entity: expect.objectContaining({ state: "placed" }) }),
    ]);

    const callsBefore = shop.calls.length;
    const replay = await admin().post(`/runs/${run.id}/replay`, {});
    expect(replay.body).toMatchObject({ replayable: true, diverged: false, first_divergence: null });
    expect(shop.calls.length).toBe(callsBefore);

    const events = await (await fetch(`${admin().baseUrl}/runs/${run.id}/events`, { headers: { authorization: `Bearer ${admin().apiKey}` } })).text();
    const refused = events.split("\n\n").filter((frame) => frame.includes("event: contract.refused"));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain(`"rule":"lifecycle"`);
  });

  it("refuses a refund of 150 for the role agent and allows it for the role manager", async () => {
    const program = (id: string) => `const refund = await tools.shop.refund_order({ order_id: "${id}", amount: 150 });\nreturn { answer: 'done', refund };`;
    const forAgent = shop.addOrder({ customer_id: "c-1", status: "paid", total: 250, items: ["chair"] });
    const asAgent = await runProgram(agent(), program(forAgent.order_id));
    expect(asAgent.result.refund).toEqual(violation("refund-limit"));
    expect(asAgent.result.refund.error.message).toBe("Refunds above 100 need the role manager.");
    expect(received("POST", `/orders/${forAgent.order_id}/refund`)).toEqual([]);
    expect(shop.order(forAgent.order_id)!.status).toBe("paid");

    const forManager = shop.addOrder({ customer_id: "c-1", status: "paid", total: 250, items: ["chair"] });
    const asManager = await runProgram(manager(), program(forManager.order_id));
    expect(asManager.result.refund).toMatchObject({ status: "refunded", refunded_amount: 150 });
    expect(shop.order(forManager.order_id)!.status).toBe("refunded");
    expect(asManager.run.principal).toBe("manager");
  });

  it("refuses change_address before verify_identity and allows it after, in the same run", async () => {
    const { result, steps } = await runProgram(
      agent(),
      [
        'const before = await tools.shop.change_address({ customer_id: "c-1", address: "3 New Lane" });',
        'const verified = await tools.shop.verify_identity({ customer_id: "c-1", code: "1234" });',
        'const after = await tools.shop.change_address({ customer_id: "c-1", address: "3 New Lane" });',
        "return { answer: 'done', before, verified, after };",
      ].join("\n"),
    );
    expect(result.before).toEqual(violation("verify-before-address-change"));
    expect(result.verified).toEqual({ customer_id: "c-1", verified: true });
    expect(result.after).toMatchObject({ customer_id: "c-1", address: "3 New Lane" });
    expect(received("PUT", "/customers/c-1/address")).toHaveLength(1);
    expect(shop.customer("c-1")!.address).toBe("3 New Lane");
    const decisions = steps.find((s) => s.task_id === "run_js")!.contract_decisions;
    expect(decisions.map((d: any) => [d.tool, d.allowed, d.rule ?? null])).toEqual([
      ["shop__change_address", false, "verify-before-address-change"],
      ["shop__verify_identity", true, null],
      ["shop__change_address", true, null],
    ]);
  });

  it("refuses delete_customer for every role", async () => {
    for (const client of [agent(), manager(), admin()]) {
      const { result } = await runProgram(client, 'const deleted = await callTool("shop__delete_customer", { customer_id: "c-2" });\nreturn { answer: "done", deleted };');
      expect(result.deleted).toEqual(violation("never-delete-customers"));
    }
    expect(received("DELETE", "/customers/c-2")).toEqual([]);
    expect(shop.customer("c-2")).toBeDefined();
  });

  it("gives the sub-runs a program starts the caller's role", async () => {
    const { result } = await runProgram(agent(), 'const sub = await executeTaskChain("governed-code-mode", "Nothing to do.");\nreturn { answer: "done", run_id: sub.run_id };');
    expect((await admin().get(`/runs/${result.run_id}`)).body.principal).toBe("agent");
  });

  it("shows the model the contract rendered for the caller's role, and each operation with the rules that govern it", async () => {
    const { model } = await runProgram(agent(), 'return { answer: "nothing to do" };');
    const [request] = await llm().requests(model);
    const system = (request!.body.messages as Array<{ role: string; content: string }>).find((m) => m.role === "system")!.content;
    expect(system).not.toContain("{{contract}}");
    expect(system).toContain('Domain contract "orders" (version 0)');
    expect(system).toContain('Your role is "agent"; it may use shop.');
    expect(system).toContain("- shop__cancel_order: from placed or paid to cancelled; refused in any other state.");
    expect(system).toContain("- refund-limit (shop__refund_order): Refunds above 100 need the role manager.");
    expect(system).toMatch(/\* Refund an order\n\s+\* Contract: moves the order from paid, shipped or delivered to refunded; refused when the order is in any other state\.\n\s+\* Contract rule refund-limit: Refunds above 100 need the role manager\./);
  });
});

describe("a tool loop under the orders contract", () => {
  it("refuses the same calls the same way, and the model reads the violations", async () => {
    const shipped = shop.addOrder({ customer_id: "c-2", status: "shipped", total: 60, items: ["lamp"] });
    const paid = shop.addOrder({ customer_id: "c-1", status: "paid", total: 250, items: ["desk"] });
    const model = unique("governed-loop");
    await llm().script(model, [
      {
        tool_calls: [
          { id: "c1", name: "shop__cancel_order", arguments: { order_id: shipped.order_id } },
          { id: "c2", name: "shop__refund_order", arguments: { order_id: paid.order_id, amount: 150 } },
          { id: "c3", name: "shop__delete_customer", arguments: { customer_id: "c-2" } },
          { id: "c4", name: "shop__change_address", arguments: { customer_id: "c-2", address: "elsewhere" } },
        ],
      },
      { content: "None of that was allowed." },
    ]);
    const chain = {
      id: unique("governed-loop"),
      contract: "orders",
      tasks: [
        { id: "chat", handler: "chat_completion", system_instruction: "{{contract}}", execute_config: { model: "{{var:model}}", tools: ["shop"] }, transition: { branches: [{ operator: "equals", when: "tool-call", goto: "run_tools" }, { operator: "default", when: "", goto: "end" }] } },
        { id: "run_tools", handler: "execute_tool_calls", input_var: "chat", execute_config: { tools: ["shop"] }, transition: { branches: [{ operator: "default", when: "", goto: "chat" }] } },
      ],
    };
    const res = await agent().post("/runs?wait=true", { chain, input: "Clean up these orders.", vars: { model } });
    expect(res.body.status).toBe("succeeded");

    const [first, second] = await llm().requests(model);
    expect((first!.body.messages as Array<{ role: string; content: string }>)[0]!.content).toContain('Domain contract "orders"');
    const results = Object.fromEntries(
      (second!.body.messages as Array<{ role: string; content: string; tool_call_id?: string }>).filter((m) => m.role === "tool").map((m) => [m.tool_call_id, JSON.parse(m.content)]),
    );
    expect(results).toEqual({ c1: violation("lifecycle"), c2: violation("refund-limit"), c3: violation("never-delete-customers"), c4: violation("verify-before-address-change") });
    expect(received("POST", `/orders/${shipped.order_id}/cancel`)).toEqual([]);
    expect(received("POST", `/orders/${paid.order_id}/refund`)).toEqual([]);
    expect(received("DELETE", "/customers/c-2")).toEqual([]);
    expect(received("PUT", "/customers/c-2/address")).toEqual([]);
    expect(shop.order(shipped.order_id)!.status).toBe("shipped");
    expect(shop.order(paid.order_id)!.status).toBe("paid");

    const steps = await runSteps(admin(), res.body.id);
    const decisions = steps.find((s) => s.task_id === "run_tools")!.contract_decisions;
    expect(decisions.map((d: any) => [d.tool, d.allowed, d.rule])).toEqual([
      ["shop__cancel_order", false, "lifecycle"],
      ["shop__refund_order", false, "refund-limit"],
      ["shop__delete_customer", false, "never-delete-customers"],
      ["shop__change_address", false, "verify-before-address-change"],
    ]);
  });
});

describe("a function under the orders contract", () => {
  it("has its calls decided as its trigger's role, refused ones never reaching the shop", async () => {
    const shipped = shop.addOrder({ customer_id: "c-2", status: "shipped", total: 60, items: ["lamp"] });
    const placed = shop.addOrder({ customer_id: "c-1", status: "placed", total: 20, items: ["mug"] });
    const name = unique("cancel-fn");
    const code = "export default async (event) => Promise.all(event.data.orders.map((order_id) => tools.shop.cancel_order({ order_id })));";
    expect((await admin().post("/functions", { name, code, tools: ["shop"], contract: "orders" })).status).toBe(201);
    expect((await admin().post("/functions", { name: unique("fn"), code, contract: "no-such-contract" })).body.error).toMatchObject({ type: "contract_missing", path: "contract" });
    const type = unique("orders.stale");
    const trigger = await agent().post("/triggers", { name: unique("on"), type: "event", event_type: type, function: name });
    expect(trigger.body.role).toBe("agent");
    expect((await agent().post("/triggers", { name: unique("on"), type: "event", event_type: type, function: name, role: "manager" })).status).toBe(403);

    await admin().post("/events", { type, data: { orders: [shipped.order_id, placed.order_id] } });
    const fires = await eventually(async () => (await admin().get(`/triggers/${trigger.body.id}`)).body.fires as Array<Record<string, any>>, (list) => list.length > 0, "the function to run");
    const outcome = fires[0]!.result;
    expect(outcome.result).toEqual([violation("lifecycle"), expect.objectContaining({ status: "cancelled" })]);
    // The two calls run at once, so their decisions may be recorded in either order.
    expect(outcome.contract_decisions).toHaveLength(2);
    expect(outcome.contract_decisions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tool: "shop__cancel_order", args: { order_id: shipped.order_id }, role: "agent", allowed: false, rule: "lifecycle", entity: expect.objectContaining({ state: "shipped" }) }),
        expect.objectContaining({ tool: "shop__cancel_order", args: { order_id: placed.order_id }, role: "agent", allowed: true, outcome: "ok" }),
      ]),
    );
    expect(received("POST", `/orders/${shipped.order_id}/cancel`)).toEqual([]);
    expect(shop.order(shipped.order_id)!.status).toBe("shipped");
    expect(shop.order(placed.order_id)!.status).toBe("cancelled");
  });
});

describe("the contract registry", () => {
  it("rejects a broken contract with every problem and its path, and stores nothing", async () => {
    const broken = {
      id: unique("broken"),
      entities: { order: { states: ["open", "closed"], read: { tool: "shop__get_order", args: { order_id: "order_id" }, state: "status" }, transitions: [{ tool: "shop__cancel_order", from: ["open", "shipped"], to: "gone" }] } },
      rules: [
        { id: "limit", tools: ["shop__refund_order"], condition: "args.amount <= ", message: "Too much." },
        { id: "limit", tools: ["shop__refund_order"], condition: "argz.amount < 5", message: "Typo." },
      ],
    };
    for (const path of ["/contracts", "/contracts/validate"]) {
      const res = await admin().post(path, broken);
      expect(res.status).toBe(400);
      expect(res.body.error.type).toBe("invalid_contract");
      expect(res.body.error.problems.map((p: { path: string }) => p.path)).toEqual([
        "entities.order.transitions[0].from[1]",
        "entities.order.transitions[0].to",
        "rules[0].condition",
        "rules[1].id",
        "rules[1].condition",
      ]);
    }
    expect((await admin().get(`/contracts/${broken.id}`)).status).toBe(404);
  });

  it("registers, versions and serves contracts; only the role admin may change them", async () => {
    const id = unique("returns");
    const contract = { id, rules: [{ id: "small", tools: ["shop__refund_order"], condition: "args.amount < 10", message: "Small refunds only." }] };
    expect((await agent().post("/contracts", contract)).status).toBe(403);
    const created = await admin().post("/contracts", contract);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id, version: 1, source: "registry" });
    const again = await admin().post("/contracts", contract);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ path: "id", message: expect.stringContaining(`use PUT /contracts/${id}`) });
    const overBundled = await admin().post("/contracts", { ...contract, id: "orders" });
    expect(overBundled.status).toBe(409);
    expect(overBundled.body.error).toMatchObject({ path: "id", message: expect.stringContaining('"orders" is a bundled contract') });
    expect((await agent().get("/contracts/orders")).body).toMatchObject({ source: "bundled" });
    const updated = await admin().put(`/contracts/${id}`, { ...contract, description: "v2" });
    expect(updated.body).toMatchObject({ id, version: 2, description: "v2" });
    expect((await agent().get(`/contracts/${id}`)).body).toMatchObject({ version: 2 });
    const listed = (await agent().get("/contracts")).body.data.map((c: { id: string }) => c.id);
    expect(listed).toEqual(expect.arrayContaining([id, "orders"]));
    expect((await agent().delete(`/contracts/${id}`)).status).toBe(403);
    expect((await admin().delete(`/contracts/${id}`)).status).toBe(200);
  });

  it("does not start a run of a chain that binds a contract nothing provides", async () => {
    const chain = { id: unique("unbound"), contract: "no-such-contract", tasks: [{ id: "a", handler: "noop" }] };
    const res = await admin().post("/runs", { chain });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: "contract_missing", path: "contract" });
  });
});
