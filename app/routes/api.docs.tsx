import type { MetaFunction } from "@remix-run/node";
import { TableScroll } from "~/components/TableScroll";
import { useLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/react";
import { openApiDocument } from "~/services/api/openapi/document.server";

export const meta: MetaFunction = () => [{ title: "API · Giliran" }];

/** A readable page of the API description (developer documentation, in English like the API). */
export async function loader({ request }: { request: Request }) {
  const doc = openApiDocument(new URL(request.url).origin);
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const o = op as { summary: string; description: string; tags: string[]; parameters: Array<{ name: string; in: string; required: boolean }>; requestBody?: unknown; responses: Record<string, { description: string }> };
      return {
        method: method.toUpperCase(),
        path,
        summary: o.summary,
        roles: o.description,
        tag: o.tags[0],
        params: o.parameters.map((p) => `${p.name} (${p.in}${p.required ? ", required" : ""})`),
        body: o.requestBody ? JSON.stringify((o.requestBody as { content: Record<string, { schema: unknown }> }).content["application/json"].schema) : null,
        responses: Object.entries(o.responses).map(([status, r]) => `${status} ${r.description}`),
      };
    }),
  );
  return { info: doc.info, ops };
}

export default function ApiDocs() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <section className="card" lang="en">
      <h1>{d.info.title}</h1>
      <p>{d.info.description}</p>
      <p>
        <a className="button" href="/api/v1/openapi.json">
          openapi.json
        </a>{" "}
        <span className="muted">{t("api.docs.hint")}</span>
      </p>
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th>Endpoint</th>
              <th>What</th>
              <th>Responses</th>
            </tr>
          </thead>
          <tbody>
            {d.ops.map((o) => (
              <tr key={`${o.method} ${o.path}`} id={`${o.method}-${o.path}`}>
                <td>
                  <code>
                    {o.method} {o.path}
                  </code>
                  {o.params.length ? <div className="small muted">{o.params.join(", ")}</div> : null}
                </td>
                <td>
                  {o.summary}
                  <div className="small muted">{o.roles}</div>
                  {o.body ? <div className="small">Body: {o.body}</div> : null}
                </td>
                <td className="small">
                  {o.responses.map((r) => (
                    <div key={r}>{r}</div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
