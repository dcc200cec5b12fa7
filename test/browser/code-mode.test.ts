/**
 * Code mode seen whole in the run inspector: the program that ran with each capability call
 * beside the line that made it, its error, its logs and result, and — for a run whose program
 * was repaired — both programs side by side.
 */
import { describe, expect, it } from "vitest";
import { llm, unique } from "../e2e/client";
import { consoleApi, screenshot, signedIn, useBrowser, useToolService } from "./browser";

const browser = useBrowser();
const { name: svc } = useToolService("weather");

describe("code mode in the run inspector", () => {
  it("shows both programs of a repaired run, each call beside its line, the error, the logs and the result", async () => {
    const model = unique("code-repair");
    const broken = `const weather = await tools.${svc}.get_weather({ city: "Oslo" });\nreturn { answer: weather.forecast.today };`;
    const working = [
      `const weather = await tools.${svc}.get_weather({ city: "Oslo" });`,
      'console.log("fetched", weather.city);',
      "return { answer: `${weather.city}: ${weather.conditions}` };",
    ].join("\n");
    await llm().script(model, [{ content: broken }, { content: working }]);
    const run = await consoleApi().post("/runs?wait=true", { chain_id: "code-mode", input: "Weather in Oslo?", vars: { model } });
    expect(run.body.status).toBe("succeeded");

    const { page, errors } = await signedIn(browser());
    await page.goto(`/ui/runs/${run.body.id}?step=1`);
    const failed = page.locator('[data-step-detail="1"] [data-program]');
    await failed.waitFor();
    const firstLine = failed.locator('[data-line="1"]');
    expect(await firstLine.locator("code").textContent()).toBe(`const weather = await tools.${svc}.get_weather({ city: "Oslo" });`);
    expect(await firstLine.locator('[data-call-order="1"] > summary').textContent()).toMatch(new RegExp(`#1 ${svc}__get_weather ✓`));
    await firstLine.locator('[data-call-order="1"] > summary').click();
    expect(await firstLine.locator('[data-call-order="1"]').textContent()).toContain("Oslo");
    expect(await failed.getByRole("alert").textContent()).toContain("TypeError: Cannot read properties of undefined (reading 'today')");

    const versions = page.getByRole("region", { name: "Program versions" });
    await versions.waitFor();
    expect(await versions.locator(".diff-removed").textContent()).toContain("weather.forecast.today");
    expect(await versions.locator(".diff-added").allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining("weather.conditions")]));
    expect(await versions.locator(".diff-head").textContent()).toContain("version 1 (step 1)");
    await screenshot(page, "code-mode-step");

    await page.locator('[data-step-index="4"]').click();
    const repaired = page.locator('[data-step-detail="4"] [data-program]');
    await repaired.waitFor();
    expect(await repaired.locator(".logs").textContent()).toBe("fetched Oslo");
    expect(await repaired.textContent()).toContain("Oslo: ");
    expect(await repaired.locator('[data-line="1"] [data-call-order="1"]').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
