import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkContract } from "../../src/contract/check";
import { operationNotes, renderContract } from "../../src/contract/render";
import { roleMayUse } from "../../src/contract/roles";

const orders = readFileSync(new URL("../../contracts/orders.json", import.meta.url), "utf8");

describe("checkContract", () => {
  it("loads the bundled orders contract without problems", () => {
    const report = checkContract(orders, { knownTools: ["shop__get_order", "shop__cancel_order", "shop__ship_order", "shop__refund_order", "shop__delete_customer", "shop__change_address"] });
    expect(report.problems).toEqual([]);
    expect(report.contract?.id).toBe("orders");
  });

  it("reports syntax errors by line and column, and misspelt keys by path", () => {
    expect(checkContract('{ "id": "x",\n  "rules": [ }').problems[0]).toMatchObject({ severity: "error", message: expect.stringMatching(/^syntax error at 2:/) });
    expect(checkContract({ id: "x", rules: [{ id: "r", tools: ["t"], condtion: "true", message: "m" }] }).problems).toEqual([
      { severity: "error", path: "rules[0].condition", message: '"condition" is required' },
      { severity: "error", path: "rules[0]", message: expect.stringContaining('unknown key "condtion"') },
    ]);
  });

  it("refuses a `__proto__` key and nesting past the bound, as chain files are, before any shape check", () => {
    const proto = checkContract('{ "id": "x", "entities": { "__proto__": { "states": ["a"] } } }');
    expect(proto.contract).toBeUndefined();
    expect(proto.problems).toEqual([{ severity: "error", path: "entities.__proto__", message: expect.stringContaining("__proto__") }]);
    expect(checkContract(JSON.parse('{ "id": "x", "roles": { "__proto__": ["*"] } }')).problems).toMatchObject([{ severity: "error", path: "roles.__proto__" }]);
    const deep = checkContract(`{ "id": "x", "description": ${"[".repeat(100)}${"]".repeat(100)} }`);
    expect(deep.contract).toBeUndefined();
    expect(deep.problems[0]!.message).toMatch(/line 1, column/);
  });

  it("reports every semantic problem with its path, and names operations nothing provides as warnings", () => {
    const report = checkContract(
      {
        id: "bad id",
        entities: { order: { states: ["open", "open"], read: { tool: "shop__get_order", state: "status" }, transitions: [{ tool: "shop__close", from: ["opn"], to: "closed" }] } },
        rules: [
          { id: "r", tools: ["shop__close"], condition: "args.amount + ", message: "m" },
          { id: "r", tools: ["*"], condition: "principal.role", message: "m" },
          { id: "s", tools: ["*"], condition: "state + 1 > 0", message: "m" },
        ],
      },
      { knownTools: ["shop__get_order"] },
    );
    expect(report.contract).toBeUndefined();
    expect(report.problems.map((p) => [p.severity, p.path])).toEqual([
      ["error", "id"],
      ["error", "entities.order.states[1]"],
      ["error", "entities.order.transitions[0].from[0]"],
      ["error", "entities.order.transitions[0].to"],
      ["error", "rules[0].condition"],
      ["error", "rules[1].id"],
      ["error", "rules[2].condition"],
      ["warning", "entities.order.transitions[0].tool"],
      ["warning", "rules[0].tools[0]"],
    ]);
    expect(report.problems[4]!.message).toContain("Unexpected token: EOF");
    expect(report.problems[6]!.message).toContain("no such overload: string + int");
  });
});

describe("roles and rendering", () => {
  const contract = checkContract(orders).contract!;

  it("reads a role's operations like a tool grant", () => {
    const limited = { ...contract, roles: { clerk: ["shop", "!shop__refund_order"], reader: ["shop__get_order"] } };
    expect(roleMayUse(limited, "clerk", "shop__cancel_order")).toBe(true);
    expect(roleMayUse(limited, "clerk", "shop__refund_order")).toBe(false);
    expect(roleMayUse(limited, "reader", "shop__cancel_order")).toBe(false);
    expect(roleMayUse(limited, "stranger", "shop__get_order")).toBe(false);
    expect(roleMayUse({ ...contract, roles: undefined }, "stranger", "shop__get_order")).toBe(true);
  });

  it("renders the contract for a role, and notes each operation with what governs it", () => {
    const text = renderContract({ contract: { ...contract, roles: { clerk: ["shop", "!shop__refund_order"] } }, version: 2 }, "clerk");
    expect(text).toContain('Domain contract "orders" (version 2)');
    expect(text).toContain('Your role is "clerk"; it may use shop, except shop__refund_order.');
    expect(text).toContain("- order (a customer's order): states placed, paid, shipped, delivered, cancelled, refunded; read with shop__get_order.");
    expect(text).toContain("- never-delete-customers (shop__delete_customer): Customers are never deleted");
    const notes = operationNotes({ ...contract, roles: { clerk: ["shop", "!shop__refund_order"] } }, "clerk");
    expect(notes.shop__refund_order).toEqual([
      "Contract: moves the order from paid, shipped or delivered to refunded; refused when the order is in any other state.",
      "Contract rule refund-limit: Refunds above 100 need the role manager.",
      "Contract rule refund-within-total: A refund cannot exceed what the order cost.",
      'Contract: your role "clerk" may not use this operation; a call is refused.',
    ]);
    expect(notes.shop__get_order).toBeUndefined();
  });
});
