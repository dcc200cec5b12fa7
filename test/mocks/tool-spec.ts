/**
 * The OpenAPI document the mock tool service publishes, in a 3.1 and a 3.0 variant. It is
 * built to exercise a tool importer: operations with operationIds, one named only by
 * `x-tool-name`, one with neither; path, query, header and body parameters; `$ref`s into
 * components/schemas; and, when the service requires a credential, its security scheme.
 */
import { CATEGORIES, DEFAULT_RECORD_COUNT, GOLD_PREDICATE } from "./tool-records";

export type OpenApiVersion = "3.1" | "3.0";

export type Credential = { name: string; value: string };

export type SpecOptions = {
  version: OpenApiVersion;
  serverUrl: string;
  records?: number;
  requireHeader?: Credential;
  requireQuery?: Credential;
};

export type OpenApiDocument = Record<string, unknown>;

/** The bounds the service enforces, documented in the spec from the same numbers. */
export const LIMITS = {
  defaultPageSize: 100,
  maxPageSize: 1000,
  defaultSlowMs: 1000,
  maxSlowMs: 30_000,
  bigBodyBytes: 2 * 1024 * 1024,
} as const;

const ref = (schema: string) => ({ $ref: `#/components/schemas/${schema}` });

const json = (description: string, schema: unknown) => ({
  description,
  content: { "application/json": { schema } },
});

const errorResponse = json("An error", ref("Error"));

export function openApiDocument(options: SpecOptions): OpenApiDocument {
  // 3.1 is JSON Schema 2020-12 (type arrays); 3.0 has its own `nullable` keyword.
  const nullable = (type: string) =>
    options.version === "3.1" ? { type: [type, "null"] } : { type, nullable: true };
  const schemes = securitySchemes(options);
  const schemeNames = Object.keys(schemes);

  return {
    openapi: options.version === "3.1" ? "3.1.0" : "3.0.3",
    info: {
      title: "Switchyard mock tool service",
      version: "1.0.0",
      description: "A deterministic service for tool-import and tool-call tests.",
    },
    servers: [{ url: options.serverUrl }],
    // One requirement object naming every scheme: all configured credentials are needed together.
    ...(schemeNames.length > 0 ? { security: [Object.fromEntries(schemeNames.map((name) => [name, []]))] } : {}),
    paths: {
      "/records": {
        get: {
          operationId: "listRecords",
          summary: "List records one page at a time, ordered by id",
          description:
            `Pages through ${options.records ?? DEFAULT_RECORD_COUNT} records. ` +
            `Exactly three records match: ${GOLD_PREDICATE}. Follow next_offset until it is null.`,
          parameters: [
            { name: "offset", in: "query", schema: { type: "integer", minimum: 0, default: 0 } },
            {
              name: "limit",
              in: "query",
              schema: { type: "integer", minimum: 1, maximum: LIMITS.maxPageSize, default: LIMITS.defaultPageSize },
            },
          ],
          responses: { "200": json("A page of records", ref("RecordPage")), "400": errorResponse },
        },
      },
      "/records/{id}": {
        get: {
          operationId: "getRecord",
          summary: "Get one record by id",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } }],
          responses: { "200": json("The record", ref("Record")), "404": errorResponse },
        },
      },
      "/notes": {
        post: {
          operationId: "createNote",
          summary: "Store a note; the service assigns its id",
          parameters: [
            {
              name: "X-Request-Id",
              in: "header",
              required: false,
              description: "Echoed back as request_id",
              schema: { type: "string" },
            },
          ],
          requestBody: { required: true, content: { "application/json": { schema: ref("NoteInput") } } },
          responses: { "201": json("The stored note", ref("Note")), "400": errorResponse },
        },
      },
      "/weather": {
        get: {
          "x-tool-name": "get_weather",
          summary: "Current weather for a city (deterministic)",
          parameters: [{ name: "city", in: "query", required: true, schema: { type: "string" } }],
          responses: { "200": json("The weather", ref("Weather")), "400": errorResponse },
        },
      },
      "/big": {
        get: {
          operationId: "getBig",
          summary: `A ${LIMITS.bigBodyBytes}-byte JSON body, for oversized-result handling`,
          responses: {
            "200": json("Padding", { type: "object", properties: { data: { type: "string" } }, required: ["data"] }),
          },
        },
      },
      "/slow": {
        get: {
          summary: "Answers after waiting the given number of milliseconds",
          parameters: [
            {
              name: "ms",
              in: "query",
              schema: { type: "integer", minimum: 0, maximum: LIMITS.maxSlowMs, default: LIMITS.defaultSlowMs },
            },
          ],
          responses: {
            "200": json("How long it waited", {
              type: "object",
              properties: { waited_ms: { type: "integer" } },
              required: ["waited_ms"],
            }),
            "400": errorResponse,
          },
        },
      },
      "/fail": {
        get: {
          operationId: "failWithStatus",
          summary: "Answers with the requested error status",
          parameters: [
            { name: "status", in: "query", schema: { type: "integer", minimum: 400, maximum: 599, default: 500 } },
          ],
          responses: { default: errorResponse },
        },
      },
    },
    components: {
      schemas: {
        Record: {
          type: "object",
          properties: {
            id: { type: "integer" },
            name: { type: "string" },
            category: { type: "string", enum: [...CATEGORIES] },
            score: { type: "number", minimum: 0, maximum: 100 },
          },
          required: ["id", "name", "category", "score"],
        },
        RecordPage: {
          type: "object",
          properties: {
            items: { type: "array", items: ref("Record") },
            offset: { type: "integer" },
            limit: { type: "integer" },
            total: { type: "integer" },
            next_offset: nullable("integer"),
          },
          required: ["items", "offset", "limit", "total", "next_offset"],
        },
        NoteInput: {
          type: "object",
          properties: {
            title: { type: "string" },
            body: { type: "string" },
            tags: { type: "array", items: { type: "string" } },
          },
          required: ["title"],
        },
        Note: {
          allOf: [
            ref("NoteInput"),
            {
              type: "object",
              properties: { id: { type: "string" }, request_id: { type: "string" } },
              required: ["id"],
            },
          ],
        },
        Weather: {
          type: "object",
          properties: {
            city: { type: "string" },
            temperature_c: { type: "integer" },
            conditions: { type: "string" },
            humidity: { type: "integer" },
          },
          required: ["city", "temperature_c", "conditions", "humidity"],
        },
        Error: {
          type: "object",
          properties: {
            error: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
          },
          required: ["error"],
        },
      },
      ...(schemeNames.length > 0 ? { securitySchemes: schemes } : {}),
    },
  };
}

function securitySchemes({ requireHeader, requireQuery }: SpecOptions): Record<string, unknown> {
  return {
    ...(requireHeader ? { apiKeyHeader: { type: "apiKey", in: "header", name: requireHeader.name } } : {}),
    ...(requireQuery ? { apiKeyQuery: { type: "apiKey", in: "query", name: requireQuery.name } } : {}),
  };
}
