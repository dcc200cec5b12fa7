/** A time in a query string (`since`, `until`): epoch milliseconds or ISO 8601. */
import { z } from "zod";

export const queryTime = z.string().transform((text, ctx) => {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (Number.isNaN(ms)) ctx.addIssue({ code: "custom", message: `"${text}" is neither epoch milliseconds nor an ISO 8601 time` });
  return ms;
});
