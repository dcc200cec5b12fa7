/**
 * The run inspector: the chain's graph with the path a run took (node states, each edge's
 * traversal count), the step timeline, a step's exact LLM request, the task running now marked
 * from the run's event stream, and Cancel.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { llm, unique } from "../e2e/client";
import { consoleApi, screenshot, signedIn, useBrowser, useToolService } from "./browser";

const browser = useBrowser();
const { name: svc } = useToolService("weather");

const node = (page: Page, task: string) => page.locator(`[data-task-id="${task}"]`);
const edge = (page: Page, from: string, to: string) => page.locator(`[data-edge="${from}->${to}"]`);

describe("run inspector", () => {
  it("draws a self-paced run that spent its budget: the path lit, each edge's count, and the live budget in the prompt sent", async () => {
    const model = unique("self-paced");
    const round = { tool_calls: [{ name: `${svc}__get_weather`, arguments: { city: "Oslo" } }] };
    await llm().script(model, [...Array.from({ length: 12 }, () => round), { content: "Final summary." }]);
    const run = await consoleApi().post("/runs?wait=true", { chain_id: "self-paced-chain", input: "Dig deep", vars: { model } });
    expect(run.body.status).toBe("succeeded");

    const { page, errors } = await signedIn(browser());
    await page.goto(`/ui/runs/${run.body.id}`);
    await node(page, "chat").waitFor();
    for (const task of ["chat", "run_tools", "wrap_up"]) expect(await node(page, task).getAttribute("data-state")).toBe("visited");
    expect(await page.locator('[data-node="end"]').getAttribute("data-state")).toBe("visited");
    expect(await node(page, "chat").textContent()).toContain("chat_completion");
    expect(await edge(page, "chat", "run_tools").getAttribute("data-count")).toBe("12");
    expect(await edge(page, "run_tools", "chat").getAttribute("data-count")).toBe("11");
    expect(await edge(page, "run_tools", "wrap_up").getAttribute("data-count")).toBe("1");
    expect(await edge(page, "wrap_up", "end").getAttribute("data-count")).toBe("1");
    expect(await edge(page, "chat", "end").getAttribute("data-count")).toBe("0");
    expect(await edge(page, "run_tools", "wrap_up").textContent()).toContain("chat->run_tools ≥ 12");
    expect(await edge(page, "chat", "run_tools").textContent()).toContain('equals "tool-call" ×12');
    expect(await page.locator("[data-step-index]").count()).toBe(25);

    // The sixth chat step (index 10), chosen with the keyboard: its system prompt says 5 rounds were used.
    await page.locator('[data-step-index="10"]').focus();
    await page.keyboard.press("Enter");
    await page.locator('[data-step-detail="10"]').waitFor();
    expect(page.url()).toContain("?step=10");
    const system = page.locator('[data-step-detail="10"] [data-llm-call="0"] .bubble-system');
    expect(await system.textContent()).toContain("You may make at most 12 rounds of tool calls and have used 5 so far.");
    expect(await page.locator('[data-step-detail="10"] [data-llm-call="0"]').textContent()).toContain(`${svc}__get_weather`);
    await screenshot(page, "run-inspector");

    await node(page, "wrap_up").click();
    const wrapUp = page.locator('[data-step-detail="24"] [data-llm-call="0"]');
    await wrapUp.locator(".bubble-system", { hasText: "Your budget of 12 rounds of tool calls is spent." }).waitFor();
    expect(await wrapUp.locator(".bubble-assistant").last().textContent()).toContain("Final summary.");
    expect(errors).toEqual([]);
  });

  it("is usable at 390 px wide, nothing overflowing sideways, in the system's light or dark theme", async () => {
    const model = unique("narrow");
    await llm().script(model, [{ content: "Short answer." }]);
    const run = await consoleApi().post("/runs?wait=true", { chain_id: "default-chain", input: "Hi", vars: { model } });
    const { page, errors } = await signedIn(browser(), 390);
    await page.goto(`/ui/runs/${run.body.id}`);
    await page.locator('[data-step-detail="0"]').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "run-inspector-390");
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await background()).not.toBe(light);
    await screenshot(page, "run-inspector-390-dark");
    expect(errors).toEqual([]);
  });

  it("marks the task running now from the run's event stream, without polling, and cancels the run", async () => {
    const model = unique("slow");
    await llm().script(model, [{ content: "too late", delay_ms: 30_000 }]);
    const started = await consoleApi().post("/runs", { chain_id: "default-chain", input: "Take your time", vars: { model } });
    const { page, errors } = await signedIn(browser());
    const reads: string[] = [];
    page.on("request", (r) => reads.push(new URL(r.url()).pathname));
    await page.goto(`/ui/runs/${started.body.id}`);
    await page.locator('[data-task-id="chat"][data-state="current"]').waitFor();
    // Once the replayed events have been taken in, nothing more is read while the run waits.
    await page.waitForTimeout(500);
    const before = reads.length;
    await page.waitForTimeout(2000);
    expect(reads.slice(before)).toEqual([]);
    expect(reads.filter((p) => p === `/runs/${started.body.id}/events`)).toHaveLength(1);
    await screenshot(page, "run-live");

    await page.getByRole("button", { name: "Cancel run" }).click();
    await page.locator('[data-status="cancelled"]').waitFor();
    expect(await node(page, "chat").getAttribute("data-state")).not.toBe("current");
    expect((await consoleApi().get(`/runs/${started.body.id}`)).body.status).toBe("cancelled");
    expect(errors).toEqual([]);
  });
});
