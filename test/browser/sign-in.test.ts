/**
 * Opening the console: `/` is the console's page, not a 401; the API keeps its bearer auth; the
 * sign-in form takes an API key, keeps it for the tab's session only (no cookie) and sends it as
 * the bearer header.
 */
import { describe, expect, inject, it } from "vitest";
import { openPage, screenshot, useBrowser } from "./browser";

const browser = useBrowser();

describe("opening the console", () => {
  it("serves the console at / and under /ui/ while every API route keeps its bearer auth", async () => {
    const base = inject("consoleUrl");
    for (const path of ["/", "/ui/runs", "/ui/runs/some-run?step=2", "/ui/chains/new"]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toContain("text/html");
      expect(await res.text()).toContain('<div id="app">');
    }
    const api = await fetch(`${base}/runs`);
    expect(api.status).toBe(401);
    expect((await api.json()).error.type).toBe("unauthorized");
    expect((await fetch(`${base}/index.html`)).status).toBe(401);
  });

  it("signs in with an API key kept in this tab's session only, sent as the bearer header", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto("/");
    await screenshot(page, "sign-in");

    await page.getByLabel("API key").fill("not-a-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "That key was refused." }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await page.getByLabel("API key").fill(inject("apiKey"));
    const listing = page.waitForRequest((r) => new URL(r.url()).pathname === "/runs" && r.headers().authorization === `Bearer ${inject("apiKey")}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("navigation", { name: "Sections" }).waitFor();
    await listing;
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([inject("apiKey")]);
    expect(await page.evaluate(() => document.cookie)).toBe("");
    expect(await page.context().cookies()).toEqual([]);
    expect(page.url()).toMatch(/\/ui\/runs$/);

    await page.reload();
    await page.getByRole("heading", { name: "Runs" }).waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("API key").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // The one error is the browser reporting the refused key's 401.
    expect(errors.filter((e) => !e.includes("status of 401"))).toEqual([]);
  });
});
