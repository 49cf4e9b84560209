import { openApiDocument } from "~/services/api/openapi/document.server";

/** The OpenAPI 3.1 document of /api/v1 (public: it describes, it grants nothing). */
export async function loader({ request }: { request: Request }) {
  const origin = new URL(request.url).origin;
  return new Response(JSON.stringify(openApiDocument(origin), null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache" },
  });
}
