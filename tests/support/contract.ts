/**
 * Contract checks against the OpenAPI document the app serves: a response's status must be
 * documented for its endpoint, and its body must match the documented schema.
 */
import { expect } from "vitest";
import type { z } from "zod";
import { ENDPOINTS } from "../../app/services/api/openapi/document.server";

/** /api/v1/bookings/17/cancel → the documented endpoint /api/v1/bookings/{id}/cancel. */
export function endpointFor(method: string, url: string) {
  const path = new URL(url, "http://x").pathname;
  return ENDPOINTS.find((e) => {
    if (e.method !== method.toLowerCase()) return false;
    const re = new RegExp(`^${e.path.replace(/\{\w+\}/g, "[^/]+")}$`);
    return re.test(path);
  });
}

/** Assert that a response is documented (status) and matches the documented body schema. */
export async function expectDocumented(method: string, url: string, res: Response): Promise<unknown> {
  const endpoint = endpointFor(method, url);
  expect(endpoint, `${method} ${url} is documented`).toBeDefined();
  const documented = endpoint?.responses[res.status];
  expect(documented, `${method} ${url} → ${res.status} is documented`).toBeDefined();
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  const schema = documented?.schema as z.ZodType | undefined;
  if (schema) {
    const parsed = schema.safeParse(body);
    expect(parsed.success, `${method} ${url} → ${res.status} matches its schema: ${parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))}`).toBe(true);
  }
  return body;
}
