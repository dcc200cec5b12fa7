/**
 * The browser tests' harness: a real headless Chromium (from npm, @sparticuz/chromium) driven by
 * playwright-core against the e2e setup's console server (`consoleUrl`: a `wrangler dev` with the
 * console's static assets and the scripted mock LLM), pages signed in to the console the way a person
 * signs in, every console error and page error collected so a test can assert there were none,
 * and screenshots saved to test/browser/screenshots/ (git-ignored) as artifacts.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import sparticuz from "@sparticuz/chromium";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { api, unique } from "../e2e/client";
import { startToolService, type ToolService } from "../mocks/tool-service";

export const SCREENSHOTS = join(import.meta.dirname, "screenshots");

/** The shared e2e client, for the console's server. */
export const consoleApi = () => api(inject("consoleUrl"));

// Chromium reaches for Google's services at start-up (updates, safe browsing, metrics); this
// machine and CI are offline, so those are switched off rather than left to fail.
const OFFLINE = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-first-run", "--metrics-recording-only"];

/** One browser for the test file, closed after it; call at the top of the file. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: await sparticuz.executablePath(), args: [...sparticuz.args, ...OFFLINE] });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

/**
 * The mock OpenAPI service (test/mocks/tool-service.ts) registered as a tool service for the
 * test file under a unique name, removed after it; call at the top of the file.
 */
export function useToolService(prefix: string, registration: Record<string, unknown> = {}): { name: string; service: () => ToolService } {
  const name = unique(prefix).replace("-", "");
  let service: ToolService | undefined;
  beforeAll(async () => {
    service = await startToolService({ records: 5 });
    expect((await consoleApi().post("/tools", { name, type: "openapi", url: service.url, ...registration })).status).toBe(201);
  });
  afterAll(async () => {
    await consoleApi().delete(`/tools/${name}`);
    await service?.close();
  });
  return { name, service: () => service! };
}

export interface ConsolePage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export async function openPage(browser: Browser, width = 1280): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, baseURL: inject("consoleUrl") });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(error.message));
  return { page, errors };
}

/** A page signed in through the form, as a person would: the console at `/`, the API key typed in. */
export async function signedIn(browser: Browser, width = 1280): Promise<ConsolePage> {
  const opened = await openPage(browser, width);
  await opened.page.goto("/");
  await opened.page.getByLabel("API key").fill(inject("apiKey"));
  await opened.page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => opened.page.getByRole("navigation", { name: "Sections" }).isVisible()).toBe(true);
  return opened;
}

/** The whole page, or with `fullPage: false` what the window shows (a README picture). */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}
