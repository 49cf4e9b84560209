/**
 * The OpenAPI 3.1 description of /api/v1, generated from the same zod schemas that parse the
 * requests (app/schemas/*) and describe the responses (app/schemas/api-responses.ts). Every API
 * route is listed in ENDPOINTS; a test checks both ways that the list and the routes agree.
 */
import { z } from "zod";
import { CORE_ENDPOINTS } from "./core.server";
import type { Endpoint } from "./endpoint.server";
import { FLOOR_ENDPOINTS } from "./floor.server";
import { ADMIN_ENDPOINTS } from "./machines.server";
import { ROUND_ENDPOINTS } from "./rounds.server";

/** Every endpoint of /api/v1, in the document's order. */
export const ENDPOINTS: readonly Endpoint[] = [...CORE_ENDPOINTS, ...FLOOR_ENDPOINTS, ...ROUND_ENDPOINTS, ...ADMIN_ENDPOINTS];

const JSON_OPTS = { io: "input", unrepresentable: "any", uri: (id: string) => `#/components/schemas/${id}` } as const;

/** Drop what an OpenAPI schema object must not carry, and point registered sub-schemas at components. */
function clean(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _s, $id: _i, $defs: _d, ...rest } = schema;
  return JSON.parse(JSON.stringify(rest).replaceAll('"#/$defs/', '"#/components/schemas/'));
}

/** A schema as a JSON Schema object: a $ref when it is a registered component. */
function schemaRef(schema: z.ZodType): Record<string, unknown> {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: `#/components/schemas/${id}` };
  return clean(z.toJSONSchema(schema, JSON_OPTS as never) as Record<string, unknown>);
}

function queryParameters(schema: z.ZodType) {
  type Obj = { properties?: Record<string, unknown>; required?: string[]; $ref?: string; $defs?: Record<string, Obj> };
  const raw = z.toJSONSchema(schema, JSON_OPTS as never) as Obj;
  // A registered schema comes back as a $ref to itself: its parameters are in its definition.
  const json = raw.properties || !raw.$ref ? raw : (raw.$defs?.[raw.$ref.split("/").pop() ?? ""] ?? raw);
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: "query", required: (json.required ?? []).includes(name), schema: s }));
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "integer", minimum: 1 } }));
}

export function openApiDocument(serverUrl = "/") {
  const components = z.toJSONSchema(z.globalRegistry, JSON_OPTS as never) as unknown as { schemas: Record<string, Record<string, unknown>> };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of ENDPOINTS) {
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(e.responses)) {
      const content = {
        ...(r.schema ? { "application/json": { schema: schemaRef(r.schema) } } : {}),
        ...(r.csv ? { "text/csv": { schema: { type: "string", description: "UTF-8 with a byte-order mark; dialect=id: ';' between fields, decimal comma, DD/MM/YYYY" } } } : {}),
      };
      responses[status] = Object.keys(content).length ? { description: r.description, content } : { description: r.description };
    }
    paths[e.path] ??= {};
    paths[e.path][e.method] = {
      operationId: `${e.method}${e.path.replace(/^\/api\/v1/, "").replace(/\{(\w+)\}/g, "By_$1").replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      summary: e.summary,
      description: e.roles ? `Roles: ${e.roles}.` : "No token needed.",
      tags: [e.tag],
      security: e.roles ? [{ bearer: [] }] : [],
      parameters: [...pathParameters(e.path), ...(e.query ? queryParameters(e.query) : [])],
      ...(e.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaRef(e.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Giliran API",
      version: "1.0.0",
      description:
        "Booking of the shared machines of UPTD Logam Purbalingga. Instants in requests are ISO 8601 WITH an offset (2026-12-01T08:00:00+07:00); responses give UTC (…Z). Errors are {error: {code, message, details}}. Log in with POST /api/v1/session and send Authorization: Bearer <token>.",
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: Object.fromEntries(Object.entries(components.schemas).map(([k, v]) => [k, clean(v)])),
    },
    paths,
  };
}
