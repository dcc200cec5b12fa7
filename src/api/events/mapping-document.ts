/**
 * The mapping document `POST /mappings` accepts: how `/ingest` turns a payload on one path into a
 * domain event. Its `path` rule is also the rule for `/ingest?path=`.
 */
import { z } from "zod";

const fieldPath = z.string().trim().min(1, "a field path must not be empty").max(300);
const label = z.string().trim().min(1).max(200);

/** A mapping's fields as stored and shown; the document adds the write-only `secret`. */
export const mappingFields = z
  .object({
    path: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "path must be letters, digits, '.', '_', ':' or '-' (e.g. github.webhook)"),
    event_type: label.optional(),
    event_type_field: fieldPath.optional(),
    event_source: label.optional(),
    event_id_field: fieldPath.optional(),
    aggregate_id_field: fieldPath.optional(),
    aggregate_type: label.optional(),
    metadata_mapping: z.record(z.string().min(1), fieldPath).optional(),
    signature_header: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "signature_header must be a header name")
      .transform((h) => h.toLowerCase())
      .optional(),
  })
  .strict();

export const mappingBody = mappingFields
  .extend({ secret: z.string().min(1, "secret must not be empty (send null to remove it)").nullable().optional() })
  .check((ctx) => {
    if ((ctx.value.event_type === undefined) === (ctx.value.event_type_field === undefined)) {
      ctx.issues.push({ code: "custom", input: ctx.value, path: ["event_type"], message: "give exactly one of event_type or event_type_field" });
    }
  });
