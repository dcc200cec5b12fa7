/**
 * zod schemas as JSON Schema 2020-12 (the dialect of OpenAPI 3.1), converted by zod's own
 * `z.toJSONSchema`. A request is described as a client may send it (`io: "input"`: a field with
 * a default is optional, a transform shows what it accepts) and an answer as it comes back
 * (`io: "output"`). A schema named with `.meta({ id })` becomes one shared component that every
 * place it appears refers to.
 */
import { z } from "zod";

export type JsonSchema = { [keyword: string]: unknown };

const DEFS = "#/$defs/";
const COMPONENTS = "#/components/schemas/";

export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    // "any" for what JSON Schema cannot say (a custom check): the schema still says the rest.
    const { $schema: _dialect, $defs, ...converted } = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" });
    for (const [id, definition] of Object.entries($defs ?? {})) this.add(id, pointToComponents(definition) as JsonSchema);
    return pointToComponents(converted) as JsonSchema;
  }

  private add(id: string, definition: JsonSchema): void {
    const known = this.schemas[id];
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(definition)) {
      throw new Error(`Two different schemas are named "${id}" (or one reads differently as a request and as an answer); give each its own id.`);
    }
    this.schemas[id] = definition;
  }
}

/** Rewrites zod's `#/$defs/<id>` references to the document's components. */
function pointToComponents(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pointToComponents);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, key === "$ref" && typeof child === "string" && child.startsWith(DEFS) ? COMPONENTS + child.slice(DEFS.length) : pointToComponents(child)]),
  );
}
