import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AdminListHead } from "~/components/AdminForm";
import { formatDateShort } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { listIkms } from "~/models/admin.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "IKM · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/admin.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin:read");
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 100);
  const t = now();
  const ikms = await listIkms(db(), q || undefined);
  return {
    q,
    ikms: ikms.map((i) => ({
      id: i.id,
      name: i.name,
      owner: i.owner_name,
      nib: i.nib,
      phone: i.phone,
      sector: i.sector,
      active: i.active === 1,
      members: Number(i.members ?? 0),
      restrictedUntil: i.restricted_until !== null && Number(i.restricted_until) > t ? Number(i.restricted_until) : null,
    })),
    canWrite: can(user, "admin:write"),
  };
}

export default function AdminIkms() {
  const { t, lang, timeZone } = useI18n();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <AdminListHead title={t("admin.ikms.title")} addLabel={t("admin.ikms.add")} addTo="/admin/ikm/baru" canWrite={d.canWrite} />
      <Form method="get" className="admin-search" role="search">
        <label className="field">
          <span>{t("admin.ikms.search")}</span>
          <input type="search" name="q" defaultValue={d.q} maxLength={100} />
        </label>
        <button type="submit" className="button">
          {t("admin.search")}
        </button>
      </Form>
      <section className="card">
        <h2>{t("admin.ikms.count", { n: d.ikms.length })}</h2>
        {d.ikms.length ? (
          <ul className="admin-list">
            {d.ikms.map((i) => (
              <li key={i.id} className={`admin-item${i.active ? "" : " admin-inactive"}`}>
                <Link to={`/admin/ikm/${i.id}`} className="admin-item-main">
                  <strong>{i.name}</strong>
                  <span className="muted small admin-item-sub">
                    {i.owner} · NIB {i.nib} · {i.phone}
                  </span>
                </Link>
                <div className="admin-item-meta">
                  {i.active ? null : <span className="admin-pill admin-pill-retired">{t("admin.inactive")}</span>}
                  {i.restrictedUntil ? <span className="admin-pill admin-pill-maintenance">{t("admin.ikm.restrictedUntil", { date: formatDateShort(i.restrictedUntil, lang, timeZone) })}</span> : null}
                  <span className="small muted">{t("admin.ikm.memberCount", { n: i.members })}</span>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("admin.ikms.none")}</p>
        )}
      </section>
    </>
  );
}
