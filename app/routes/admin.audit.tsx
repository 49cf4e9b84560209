import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AdminAuditDiff } from "~/components/AdminAuditDiff";
import { AdminSubnav, Field, SelectField } from "~/components/AdminForm";
import { hasMessage } from "~/i18n";
import { formatDateShort, formatTime } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { listAuditActors, listAuditEntities } from "~/models/admin.server";
import { AuditQuerySchema } from "~/schemas/admin";
import { adminField } from "~/services/admin/forms.server";
import { failureOf } from "~/utils/forms.server";
import { AUDIT_PAGE_SIZE, auditPage } from "~/services/admin/audit-log.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";

export const meta: MetaFunction = () => [{ title: "Jejak audit · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/admin.css" }];

const PARAMS = { entitas: "entity", id: "entityId", oleh: "actor", dari: "from", sampai: "to", hal: "page" } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:read");
  const url = new URL(request.url);
  const raw: Record<string, string> = {};
  for (const [param, key] of Object.entries(PARAMS)) {
    const v = url.searchParams.get(param);
    if (v !== null && v.trim() !== "") raw[key] = v.trim();
  }
  const parsed = AuditQuerySchema.safeParse(raw);
  const errors = parsed.success ? {} : failureOf(parsed.error, adminField).errors;
  // A bad filter is shown as an error on its field; the others still apply.
  const query = parsed.success ? parsed.data : AuditQuerySchema.parse(Object.fromEntries(Object.entries(raw).filter(([k]) => !(k in errors))));
  const [page, entities, actors] = await Promise.all([auditPage(db(), query), listAuditEntities(db()), listAuditActors(db())]);
  return { ...page, filter: raw, errors, entities, actors, pageSize: AUDIT_PAGE_SIZE };
}

export default function AdminAudit() {
  const { t, lang, timeZone } = useI18n();
  // Actions and kinds of record in words; one not translated yet shows its code.
  const actionName = (a: string) => (hasMessage(`admin.audit.a.${a}`) ? t(`admin.audit.a.${a}`) : a);
  const entityName = (e: string) => (hasMessage(`admin.audit.e.${e}`) ? t(`admin.audit.e.${e}`) : e);
  const d = useLoaderData<typeof loader>();
  const f = d.filter;
  const pageLink = (page: number) => {
    const p = new URLSearchParams();
    for (const [param, key] of Object.entries(PARAMS)) {
      const v = key === "page" ? (page > 1 ? String(page) : "") : (f[key] ?? "");
      if (v) p.set(param, v);
    }
    const s = p.toString();
    return s ? `?${s}` : "?";
  };
  return (
    <>
      <AdminSubnav />
      <h1>{t("admin.audit.title")}</h1>
      <p className="muted">{t("admin.audit.intro")}</p>
      <Form method="get" className="card stack admin-filter" role="search">
        <div className="grid-2">
          <SelectField name="entitas" label={t("admin.audit.entity")} defaultValue={f.entity ?? ""} error={d.errors.entity}>
            <option value="">{t("admin.all")}</option>
            {d.entities.map((e) => (
              <option key={e} value={e}>
                {entityName(e)}
              </option>
            ))}
          </SelectField>
          <Field name="id" label={t("admin.audit.entityId")} defaultValue={f.entityId ?? ""} error={d.errors.entityId} maxLength={40} autoComplete="off" />
          <SelectField name="oleh" label={t("admin.audit.actor")} defaultValue={f.actor ?? ""} error={d.errors.actor}>
            <option value="">{t("admin.all")}</option>
            {d.actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({t(`role.${a.role}`)})
              </option>
            ))}
          </SelectField>
          <div className="admin-range">
            <Field name="dari" label={t("admin.audit.from")} type="date" defaultValue={f.from ?? ""} error={d.errors.from} />
            <Field name="sampai" label={t("admin.audit.to")} type="date" defaultValue={f.to ?? ""} error={d.errors.to} />
          </div>
        </div>
        <div className="row">
          <button type="submit" className="button primary">
            {t("admin.audit.filter")}
          </button>
          <Link to="/admin/audit" className="button">
            {t("admin.audit.reset")}
          </Link>
        </div>
      </Form>
      <p className="muted small">{t("admin.audit.page", { page: d.page, size: d.pageSize })}</p>
      {d.events.length ? (
        <ol className="admin-audit">
          {d.events.map((e) => (
            <li key={e.id} className="card">
              <div className="admin-audit-head">
                <strong className="admin-audit-action">{actionName(e.action)}</strong>
                <Link to={`?entitas=${encodeURIComponent(e.entity)}&id=${encodeURIComponent(e.entityId)}`} className="small" title={t("admin.audit.recordFilter")}>
                  {entityName(e.entity)} #{e.entityId}
                  {e.entityLabel ? ` · ${e.entityLabel}` : ""}
                </Link>
              </div>
              <p className="small muted admin-audit-meta">
                <time dateTime={new Date(e.at).toISOString()}>
                  {formatDateShort(e.at, lang, timeZone)} {formatTime(e.at, lang, timeZone)}
                </time>
                {" · "}
                {e.actor ? (
                  <Link to={`?oleh=${e.actor.id}`}>
                    {e.actor.name} ({t(`role.${e.actor.role}`)})
                  </Link>
                ) : (
                  t("admin.audit.system")
                )}
              </p>
              {e.reason ? <p className="small">{t("admin.audit.reason", { reason: e.reason })}</p> : null}
              <AdminAuditDiff changes={e.changes} kind={e.kind} />
            </li>
          ))}
        </ol>
      ) : (
        <p className="card muted">{t("admin.audit.none")}</p>
      )}
      <nav className="row admin-pager" aria-label={t("admin.audit.pages")}>
        {d.page > 1 ? (
          <Link className="button" to={pageLink(d.page - 1)} rel="prev">
            ← {t("admin.audit.newer")}
          </Link>
        ) : null}
        {d.more ? (
          <Link className="button" to={pageLink(d.page + 1)} rel="next">
            {t("admin.audit.older")} →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
