/**
 * The chat view: pick a chain, see the streamed answer grow token by token, keep the
 * conversation for the next turn, follow each answer to its run; approve a call the run waits
 * for without leaving the chat.
 */
import { describe, expect, it } from "vitest";
import { llm, unique, waitForRun } from "../e2e/client";
import { consoleApi, screenshot, signedIn, useBrowser, useToolService } from "./browser";

const browser = useBrowser();
const { name: svc, service } = useToolService("notes", { requires_approval: ["createNote"] });
const notesPosted = () => service().calls.filter((c) => c.method === "POST" && c.path === "/notes").length;

/** A chain that chats with the scripted model `model`, running the tools it calls. */
async function chatChain(model: string): Promise<string> {
  const id = unique("chat-chain");
  const res = await consoleApi().post("/chains", {
    id,
    tasks: [
      {
        id: "chat",
        handler: "chat_completion",
        execute_config: { model, tools: ["*"] },
        transition: { branches: [{ operator: "equals", when: "tool-call", goto: "run_tools" }, { operator: "default", when: "", goto: "end" }] },
      },
      { id: "run_tools", handler: "execute_tool_calls", input_var: "chat", transition: { branches: [{ operator: "default", when: "", goto: "chat" }] } },
    ],
  });
  expect(res.status).toBe(201);
  return id;
}

describe("chat", () => {
  it("streams the answer token by token, keeps the conversation, and links each answer to its run", async () => {
    const model = unique("chat-stream");
    const answer = "Switchyard streams every token as it arrives.";
    await llm().script(model, [{ chunks: ["Switchyard", " streams", " every", " token", " as", " it", " arrives."], chunk_delay_ms: 250 }, { content: "Second answer." }]);
    const chain = await chatChain(model);
    const { page, errors } = await signedIn(browser());
    await page.goto(`/ui/chat?chain=${chain}`);
    // The picker is drawn before the chain list arrives, and shows the chain once it is listed.
    await expect.poll(() => page.getByRole("combobox", { name: "Chain" }).inputValue()).toBe(chain);
    // Every text the answer's bubble shows, as it changes.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        const text = document.querySelector(".bubble-assistant:last-child .bubble-text")?.textContent ?? "";
        if (text !== seen.at(-1)) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    await page.getByLabel("Message").fill("Hello");
    await page.getByLabel("Message").press("Enter");
    await page.locator(".bubble-assistant .bubble-text", { hasText: answer }).waitFor();
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    const partial = seen.filter((t) => t !== answer && t.length > 1 && answer.startsWith(t));
    expect(partial.length).toBeGreaterThanOrEqual(3);
    expect(partial).toEqual([...partial].sort((a, b) => a.length - b.length));

    const runLink = page.locator(".bubble-assistant .run-link").first();
    const href = await runLink.getAttribute("href");
    expect(href).toMatch(/^\/ui\/runs\/[0-9a-f-]{36}$/);

    await page.getByLabel("Message").fill("And again?");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator(".bubble-assistant .bubble-text", { hasText: "Second answer." }).waitFor();
    const [, second] = await llm().requests(model);
    expect((second!.body.messages as Array<{ role: string; content: string }>).map((m) => [m.role, m.content])).toEqual([
      ["user", "Hello"],
      ["assistant", answer],
      ["user", "And again?"],
    ]);
    await screenshot(page, "chat");

    await page.reload();
    await page.locator(".bubble-assistant .bubble-text", { hasText: "Second answer." }).waitFor();
    await runLink.click();
    await page.locator('[data-status="succeeded"]').first().waitFor();
    expect(page.url()).toContain(href!);
    expect(errors).toEqual([]);
  });

  it("shows a call the run waits for inline, and the answer follows once it is approved", async () => {
    const model = unique("chat-approve");
    await llm().script(model, [
      { tool_calls: [{ id: "call_note", name: `${svc}__createNote`, arguments: { title: "from the console" } }] },
      { content: "Noted from the console." },
    ]);
    const chain = await chatChain(model);
    const notesBefore = notesPosted();
    const { page, errors } = await signedIn(browser());
    await page.goto(`/ui/chat?chain=${chain}`);
    await page.getByLabel("Message").fill("Write a note");
    await page.getByLabel("Message").press("Enter");

    const card = page.locator('.approval[data-call-id="call_note"]');
    await card.waitFor();
    expect(await card.textContent()).toContain(`${svc}__createNote`);
    expect(await card.textContent()).toContain("from the console");
    await screenshot(page, "chat-approval");
    expect(notesPosted()).toBe(notesBefore);

    await card.getByRole("button", { name: "Approve" }).click();
    await page.locator(".bubble-assistant .bubble-text", { hasText: "Noted from the console." }).waitFor();
    expect(await card.count()).toBe(0);
    const runId = (await page.locator(".bubble-assistant .run-link").last().getAttribute("href"))!.split("/").at(-1)!;
    const run = await waitForRun(consoleApi(), runId, (r) => r.status === "succeeded");
    expect(run.output.messages.at(-1).content).toBe("Noted from the console.");
    expect(notesPosted()).toBe(notesBefore + 1);
    expect(errors).toEqual([]);
  });
});
