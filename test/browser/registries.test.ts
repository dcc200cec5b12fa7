/**
 * The runs list (filters in the URL, cursor paging) and the readable lists of tools, providers,
 * triggers and events, with a tool service and a trigger registered from their forms. Secrets
 * given to the server never show.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startToolService, type ToolService } from "../mocks/tool-service";
import { registerEchoChain, unique } from "../e2e/client";
import { consoleApi, screenshot, signedIn, useBrowser } from "./browser";

const browser = useBrowser();
let service: ToolService;
beforeAll(async () => {
  service = await startToolService({ records: 5 });
});
afterAll(async () => {
  await service?.close();
});

describe("runs list", () => {
  it("filters by chain and status in the URL and pages older runs with the cursor", async () => {
    const chain = unique("listed");
    await registerEchoChain(consoleApi(), chain);
    for (let i = 0; i < 26; i++) expect((await consoleApi().post("/runs?wait=true", { chain_id: chain, input: `run ${i}` })).body.status).toBe("succeeded");
    const { page, errors } = await signedIn(browser());
    await page.goto("/ui/runs");
    await page.getByLabel("Chain").selectOption(chain);
    await page.getByLabel("Status").selectOption("succeeded");
    expect(new URL(page.url()).search).toBe(`?chain_id=${chain}&status=succeeded`);
    const rows = page.locator("table.runs tbody tr");
    await expect.poll(() => rows.count()).toBe(25);
    expect(await rows.locator('[data-status="succeeded"]').count()).toBe(25);
    await screenshot(page, "runs");
    await page.getByRole("button", { name: "Older runs" }).click();
    await expect.poll(() => rows.count()).toBe(26);
    expect(await page.getByRole("button", { name: "Older runs" }).count()).toBe(0);
    await page.getByLabel("Status").selectOption("failed");
    await page.getByText("No runs match.").waitFor();
    expect(errors).toEqual([]);
  });
});

describe("tools, providers, triggers and events", () => {
  it("registers a tool service from the form and shows its tools, naming its credentials but never their values", async () => {
    const name = unique("forecast").replace("-", "");
    const secret = "sk-header-value-never-shown";
    const { page, errors } = await signedIn(browser());
    await page.goto("/ui/tools");
    const form = page.getByRole("form", { name: "Register a tool service" });
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("URL").fill(service.url);
    await form.getByLabel("Header credentials").fill(`X-Api-Key: ${secret}`);
    await form.getByLabel("Operations that need approval").fill("createNote");
    await form.getByRole("button", { name: "Register a tool service" }).click();
    await form.getByRole("status").waitFor();
    const card = page.locator(`[data-service="${name}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain(`${name}__get_weather`);
    expect(await card.textContent()).toContain("header X-Api-Key");
    expect(await card.locator("li", { hasText: `${name}__createNote` }).textContent()).toContain("needs approval");
    expect(await page.content()).not.toContain(secret);
    await screenshot(page, "tools");
    await consoleApi().delete(`/tools/${name}`);
    expect(errors).toEqual([]);
  });

  it("lists the providers without their keys", async () => {
    const { page, errors } = await signedIn(browser());
    await page.goto("/ui/providers");
    const row = page.locator('[data-provider="default"]');
    await row.waitFor();
    expect(await row.textContent()).toContain("mock-model");
    expect(await row.textContent()).toContain("set");
    expect(await page.content()).not.toContain("mock-provider-key");
    await screenshot(page, "providers");
    expect(errors).toEqual([]);
  });

  it("creates a cron trigger from the form, shows when it fires next, and pauses it", async () => {
    const name = unique("nightly");
    const { page, errors } = await signedIn(browser());
    await page.goto("/ui/triggers");
    const form = page.getByRole("form", { name: "Create a trigger" });
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("Schedule", { exact: true }).fill("0 3 * * *");
    await form.getByLabel("Chain").selectOption("default-chain");
    await form.getByRole("button", { name: "Create a trigger" }).click();
    await form.getByRole("status").waitFor();
    const row = page.locator(`[data-trigger="${name}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("0 3 * * *");
    expect(await row.textContent()).toContain("chain default-chain");
    await row.getByRole("button", { name: `Pause ${name}` }).click();
    await row.getByRole("button", { name: `Resume ${name}` }).waitFor();
    const stored = (await consoleApi().get("/triggers")).body.data.find((t: { name: string }) => t.name === name);
    expect(stored).toMatchObject({ enabled: false, schedule: "0 3 * * *", chain_id: "default-chain" });
    await screenshot(page, "triggers");
    await consoleApi().delete(`/triggers/${stored.id}`);
    expect(errors).toEqual([]);
  });

  it("lists events by type, opens one to see what it fired, and shows the dead letters", async () => {
    const type = unique("console.event");
    const sent = await consoleApi().post("/events", { type, data: { order: 42 } });
    expect(sent.status).toBe(201);
    const { page, errors } = await signedIn(browser());
    await page.goto(`/ui/events?type=${type}`);
    const item = page.locator(`[data-event-id="${sent.body.id}"]`);
    await item.waitFor();
    await item.locator("summary").first().click();
    await item.getByText("Nothing matched this event.").waitFor();
    expect(await item.textContent()).toContain("42");
    await page.getByRole("region", { name: "Dead letters" }).waitFor();
    await screenshot(page, "events");
    expect(errors).toEqual([]);
  });
});
