/**
 * The chain editor: problems from `POST /chains/validate` shown at their place as you type, the
 * graph of what is typed, saving as a new version, and the version history with a comparison.
 */
import { describe, expect, it } from "vitest";
import { unique } from "../e2e/client";
import { consoleApi, screenshot, signedIn, useBrowser } from "./browser";

const browser = useBrowser();

const source = (id: string, goto: string, handler: string, description = "first") => `{
  "id": "${id}",
  "description": "${description}",
  "tasks": [
    {
      "id": "first",
      "handler": "noop",
      "transition": { "branches": [{ "operator": "default", "when": "", "goto": "${goto}" }] }
    },
    { "id": "second", "handler": "${handler}" }
  ]
}
`;

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((line) => line.includes(needle)) + 1;

describe("chain editor", () => {
  it("marks a broken chain's problems at their paths as it is typed, then saves versions and compares them", async () => {
    const id = unique("edited");
    const { page, errors } = await signedIn(browser());
    await page.goto("/ui/chains/new");
    const editor = page.getByLabel("Chain source (JSONC)");
    const broken = source(id, "nowhere", "no_such_handler");
    await editor.fill(broken);

    const gotoProblem = page.locator('.problems [data-path="tasks[0].transition.branches[0].goto"]');
    await gotoProblem.waitFor();
    expect(await gotoProblem.getAttribute("data-line")).toBe(String(lineOf(broken, '"nowhere"')));
    expect(await gotoProblem.textContent()).toContain('goes to "nowhere", which is not a task');
    const handlerProblem = page.locator('.problems [data-path="tasks[1].handler"]');
    expect(await handlerProblem.getAttribute("data-line")).toBe(String(lineOf(broken, "no_such_handler")));
    expect(await page.locator('.editor-mirror mark[data-path="tasks[0].transition.branches[0].goto"]').textContent()).toBe('"goto": "nowhere"');
    expect(await page.locator(".editor-gutter .gutter-error").allTextContents()).toEqual([String(lineOf(broken, '"nowhere"')), String(lineOf(broken, "no_such_handler"))]);
    expect(await page.getByRole("button", { name: "Save as new version" }).isDisabled()).toBe(true);
    await page.locator('[data-task-id="second"]').waitFor();
    await screenshot(page, "chain-editor");

    const fixed = source(id, "second", "noop");
    await editor.fill(fixed);
    await page.locator(".check-valid").waitFor();
    expect(await page.locator(".problems .problem-error").count()).toBe(0);
    await page.getByRole("button", { name: "Save as new version" }).click();
    await page.waitForURL(`**/ui/chains/${id}`);
    expect((await consoleApi().get(`/chains/${id}`)).body).toMatchObject({ version: 1, description: "first" });

    await page.locator(".check-valid").waitFor();
    const second = (await editor.inputValue()).replace('"description": "first"', '"description": "second"');
    await editor.fill(second);
    await page.locator(".check-valid").waitFor();
    await page.getByRole("button", { name: "Save as new version" }).click();
    await page.getByText(`Saved ${id} as version 2.`).waitFor();
    await page.locator('.versions [data-version="2"]').waitFor();
    expect(await page.locator(".versions [data-version]").evaluateAll((items) => items.map((i) => i.getAttribute("data-version")))).toEqual(["2", "1"]);

    await page.locator('.versions [data-version="1"]').getByRole("button", { name: "Compare with the editor" }).click();
    expect(await page.locator(".diff .diff-removed").textContent()).toContain('"description": "first"');
    expect(await page.locator(".diff .diff-added").textContent()).toContain('"description": "second"');
    // The browser reports each 400 from validating the broken text; nothing else may fail.
    expect(errors.filter((e) => !e.includes("status of 400"))).toEqual([]);
  });
});
