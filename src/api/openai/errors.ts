/**
 * Errors on the OpenAI-compatible routes, rendered in OpenAI's shape
 * (`{ error: { message, type, param, code } }`) so OpenAI clients raise their usual typed
 * errors. Handlers throw the API's one error class, `ApiError`; this renderer maps its status to
 * OpenAI's error type, its JSON path to `param` and its type to `code`.
 */
import type { Context } from "hono";
import { z } from "zod";
import { ApiError, asApiError } from "../errors";

export const openAIErrorBody = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string().meta({ description: "`invalid_request_error`, `rate_limit_error` or `server_error`" }),
      param: z.string().nullable().meta({ description: "JSON path of the offending field" }),
      code: z.string().nullable(),
    }),
  })
  .meta({ id: "OpenAIError" });

export type OpenAIErrorBody = z.infer<typeof openAIErrorBody>;

/** The codes OpenAI itself uses where the API's own type names differ. */
const OPENAI_CODES: Record<string, string> = {
  unauthorized: "invalid_api_key",
  payload_too_large: "request_too_large",
};

function openAIType(status: number): string {
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

export function openAIError(err: ApiError): OpenAIErrorBody {
  return {
    error: {
      message: err.message,
      type: openAIType(err.status),
      param: err.details.path || null,
      code: OPENAI_CODES[err.type] ?? err.type,
    },
  };
}

export function renderOpenAIError(c: Context, thrown: unknown): Response {
  const err = asApiError(thrown);
  return c.json(openAIError(err), err.status, err.details.headers);
}
