/**
 * Time travel in the console: "Fork from here" on a step of the run inspector (vars changed, the
 * previous step's output patched) opens the fork, its copied steps marked and its origin linked;
 * the replay view replays a run as recorded ("same") or with an edited chain (the first
 * divergence named, both sides shown, the step marked in the timeline and the graph); the chain
 * page replays its draft against the chain's recent runs.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { llm, turnsChain, unique, waitForRun } from "../e2e/client";
import { consoleApi, screenshot, signedIn, useBrowser } from "./browser";

const browser = useBrowser();

const next = (goto: string) => ({ branches: [{ operator: "default", when: "", goto }] });

/** A model that writes a file with a tool, then answers: two chat steps and a tool step between. */
function toolChat(id: string) {
  return {
    id,
    tasks: [
      {
        id: "chat",
        handler: "chat_completion",
        execute_config: { model: "{{var:model}}", tools: ["workspace__write"] },
        transition: {
          branches: [
            { operator: "equals", when: "tool-call", goto: "tools" },
            { operator: "default", when: "", goto: "end" },
          ],
        },
      },
      { id: "tools", handler: "execute_tool_calls", input_var: "chat", transition: next("chat") },
    ],
  };
}

/** Runs `chain` (a definition, or a registered chain's id) to the end against a fresh script. */
async function recordedRun(chain: object | string, vars: Record<string, string> = {}) {
  const model = unique("tt");
  await llm().script(model, [{ tool_calls: [{ id: "w1", name: "workspace__write", arguments: { path: "a.txt", content: "x" } }] }, { content: "done" }]);
  const target = typeof chain === "string" ? { chain_id: chain } : { chain };
  const run = (await consoleApi().post("/runs?wait=true", { ...target, input: "go", vars: { model, ...vars } })).body;
  expect(run.status).toBe("succeeded");
  return { run, model };
}

/** The replay view's editor text with `from` replaced by `to` (which must be there). */
async function editChain(page: Page, label: string, from: string, to: string) {
  const editor = page.getByLabel(label);
  const text = await editor.inputValue();
  expect(text).toContain(from);
  await editor.fill(text.replace(from, to));
  await page.locator(".check-valid").first().waitFor();
}

describe("forking from the run inspector", () => {
  it("forks from step 1 with a changed var and a patched previous output, and opens the fork with its copied step marked and its origin linked", async () => {
    const model = unique("fork-orig");
    await llm().script(model, [{ content: "one" }, { content: "two" }, { content: "three" }]);
    const original = (await consoleApi().post("/runs?wait=true", { chain: turnsChain("three-turns", 3), input: "hi", vars: { model, tone: "casual" } })).body;
    expect(original.status).toBe("succeeded");
    const forkModel = unique("fork-new");
    await llm().script(forkModel, [{ content: "TWO" }, { content: "THREE" }]);

    const { page, errors } = await signedIn(browser());
    await page.goto(`/ui/runs/${original.id}?step=1`);
    await page.locator('[data-step-detail="1"]').waitFor();
    // Opened with the keyboard.
    await page.locator('[data-action="fork"]').focus();
    await page.keyboard.press("Enter");
    await page.locator('[data-fork-form="1"]').waitFor();
    expect(page.url()).toContain("fork=1");
    await page.getByLabel("Vars: name 1").fill("model");
    await page.getByLabel("Vars: value 1").fill(forkModel);
    await page.getByRole("button", { name: "Add a row" }).click();
    await page.getByLabel("Vars: name 2").fill("tone");
    await page.getByLabel("Vars: value 2").fill("formal");
    await page.getByLabel("Patch the output of step 0 (turn0), as JSON").check();
    const patch = page.getByLabel("Patched output (JSON)");
    expect(await patch.inputValue()).toBe('"one"');
    await patch.fill('"ONE, edited"');
    await screenshot(page, "fork-form");
    await page.getByRole("button", { name: "Fork from step 1" }).click();

    await page.waitForURL((url) => /^\/ui\/runs\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith(original.id));
    const forkId = decodeURIComponent(new URL(page.url()).pathname.split("/").at(-1)!);
    await page.locator('[data-status="succeeded"]').waitFor();
    await page.locator('[data-step-index="2"]').waitFor();
    const first = page.locator('[data-step-index="0"]');
    expect(await first.getAttribute("data-copied")).toBe("true");
    expect(await first.getAttribute("data-patched")).toBe("true");
    expect(await first.locator(".tag-copied").textContent()).toBe("patched");
    expect(await page.locator('[data-step-index="1"]').getAttribute("data-copied")).toBeNull();
    const origin = page.locator(".fork-origin a");
    expect(await origin.getAttribute("href")).toBe(`/ui/runs/${original.id}?step=1`);
    expect(await origin.textContent()).toContain(`${original.id} at step 1`);
    await screenshot(page, "fork");

    // The provider saw the two live steps only, in the new tone; the copied step holds the patch.
    const sent = await llm().requests(forkModel);
    expect(sent).toHaveLength(2);
    for (const request of sent) expect((request.body.messages as Array<{ content: string }>)[0]!.content).toMatch(/^Answer in a formal tone\./);
    const steps = (await consoleApi().get(`/runs/${forkId}/steps`)).body.data;
    expect(steps[0]).toMatchObject({ copied_from: { run_id: original.id, step: 0 }, patched: true, output: "ONE, edited" });

    // The origin link leads back to the original, which lists its fork.
    await origin.click();
    await page.locator(`[data-fork="${forkId}"]`).waitFor();
    expect(await page.locator(`[data-fork="${forkId}"]`).textContent()).toContain("from step 1");

    // The form has its own URL; at 390 px, with the run's chain open for editing, nothing overflows sideways.
    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto(`/ui/runs/${forkId}?step=1&fork=1`);
    await page.getByLabel("Run an edited chain from there").check();
    await page.locator('[data-fork-form="1"] .check-valid').waitFor();
    expect(await page.getByLabel("Chain to fork with (JSONC)").inputValue()).toContain('"id": "three-turns"');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "fork-form-390");
    await page.keyboard.press("Escape");
    await page.locator("[data-fork-form]").waitFor({ state: "detached" });
    expect(errors).toEqual([]);
  });
});

describe("the replay view", () => {
  it("replays an unchanged run as the same, calling nothing", async () => {
    const { run, model } = await recordedRun(toolChat(unique("replay-same")));
    const calls = (await llm().requests(model)).length;
    const { page, errors } = await signedIn(browser());
    await page.goto(`/ui/runs/${run.id}`);
    await page.locator('[data-action="replay"]').click();
    await page.waitForURL(`**/ui/runs/${run.id}/replay`);
    const outcome = page.locator('[data-replay-outcome="same"]');
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain("all 3 recorded steps replay as recorded");
    expect(await page.locator(".divergence").count()).toBe(0);
    expect(await page.locator("[data-diverged]").count()).toBe(0);
    expect(await page.locator(".timeline .replay-mark").allTextContents()).toEqual(["✓ same", "✓ same", "✓ same"]);
    expect((await llm().requests(model)).length).toBe(calls);
    expect(errors).toEqual([]);
  });

  it("names the first divergence of an edited branch and of an edited system prompt, with both sides and the step marked", async () => {
    const { run } = await recordedRun(toolChat(unique("replay-edit")));
    const { page, errors } = await signedIn(browser());
    await page.goto(`/ui/runs/${run.id}/replay`);
    await page.locator('[data-replay-outcome="same"]').waitFor();
    const label = "Chain to replay (JSONC)";

    await editChain(page, label, '"when": "tool-call"', '"when": "never"');
    await page.getByRole("button", { name: "Replay with the edited chain" }).click();
    const divergence = page.locator('.divergence[data-reason="transition"]');
    await divergence.waitFor();
    expect(await divergence.getAttribute("data-divergence-step")).toBe("0");
    expect(await divergence.locator("h3").textContent()).toContain("Step 0 · task chat · another transition");
    expect(await divergence.locator('[data-side="recorded"] .side-value').textContent()).toBe("tools");
    expect(await divergence.locator('[data-side="replayed"] .side-value').textContent()).toBe("end");
    expect(await page.locator('[data-step-index="0"]').getAttribute("data-diverged")).toBe("true");
    expect(await page.locator('[data-task-id="chat"]').getAttribute("data-diverged")).toBe("true");

    await page.getByRole("button", { name: "Reset to the run's chain" }).click();
    await editChain(page, label, '"handler": "chat_completion",', '"handler": "chat_completion",\n      "system_instruction": "Be terse.",');
    await page.getByRole("button", { name: "Replay with the edited chain" }).click();
    const effect = page.locator('.divergence[data-reason="effect"]');
    await effect.waitFor();
    expect(await effect.locator("h3").textContent()).toContain("Step 0 · task chat · another effect asked for");
    expect(await effect.locator('[data-side="recorded"] .bubble-system').count()).toBe(0);
    expect(await effect.locator('[data-side="recorded"] .bubble-user').textContent()).toContain("go");
    expect(await effect.locator('[data-side="replayed"] .bubble-system').textContent()).toContain("Be terse.");
    expect(await effect.locator(".diff .diff-added").allTextContents()).toContainEqual(expect.stringContaining("Be terse."));
    expect(await page.locator('[data-replay-outcome="diverged"] .outcome').textContent()).toBe("diverged");
    await screenshot(page, "replay");
    // The README's picture (docs/img/replay.png): the outcome, both sides, the graph and the steps.
    await page.setViewportSize({ width: 1280, height: 1180 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "replay-view", { fullPage: false });

    // At 390 px, in the dark: nothing overflows sideways.
    await page.setViewportSize({ width: 390, height: 900 });
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "replay-390-dark");
    expect(errors).toEqual([]);
  });
});

describe("replaying a chain's recent runs from the chain page", () => {
  it("counts the runs a draft would replay the same, and names where each diverges", async () => {
    const chainId = unique("replayed-chain");
    expect((await consoleApi().post("/chains", toolChat(chainId))).status).toBe(201);
    const runs = [await recordedRun(chainId), await recordedRun(chainId)].map(({ run }) => run.id as string);
    await Promise.all(runs.map((id) => waitForRun(consoleApi(), id, (r) => r.status === "succeeded")));

    const { page, errors } = await signedIn(browser());
    await page.goto(`/ui/chains/${chainId}`);
    await page.locator(".check-valid").waitFor();
    const count = (key: string) => page.locator(`[data-replay-count="${key}"] dd`).textContent();
    await page.getByRole("button", { name: "Replay recent runs" }).click();
    await page.locator(".replay-results [data-run-id]").first().waitFor();
    expect([await count("runs"), await count("same"), await count("diverged"), await count("not_replayable")]).toEqual(["2", "2", "0", "0"]);

    await editChain(page, "Chain source (JSONC)", '"when": "tool-call"', '"when": "never"');
    await page.getByRole("button", { name: "Replay recent runs" }).click();
    await page.locator('.replay-results [data-replay-outcome="diverged"]').nth(1).waitFor();
    expect([await count("runs"), await count("same"), await count("diverged")]).toEqual(["2", "0", "2"]);
    for (const id of runs) {
      const row = page.locator(`.replay-results [data-run-id="${id}"]`);
      expect(await row.textContent()).toContain("at step 0 (chat, another transition)");
      expect(await row.locator("a").getAttribute("href")).toBe(`/ui/runs/${id}`);
    }
    await screenshot(page, "chain-replay");
    expect(errors).toEqual([]);
  });
});
