/** `switchyard approvals RUN`: the tool calls of a run that wait for (or got) a human's decision. */
import type { Command } from "commander";
import type { Approval } from "../../src/engine/records";
import { contextOf, segment } from "../context";
import { printJson, printTable, truncate } from "../output";

export function registerApprovals(program: Command): void {
  program
    .command("approvals")
    .description("a run's tool calls that need a decision")
    .argument("<run>", "the run id")
    .action(async (runId: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const { data } = await context.client.json<{ data: Approval[] }>("GET", `/runs/${segment(runId)}/approvals`);
      if (context.json) return printJson(data);
      printTable(
        ["call", "tool", "task", "status", "arguments", "reason"],
        data.map((a) => [a.call_id, a.tool, a.task_id, a.status, truncate(JSON.stringify(a.arguments), 50), a.reason ?? ""]),
      );
    });
}
