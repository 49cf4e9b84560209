import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AdminListHead } from "~/components/AdminForm";
import { useT } from "~/i18n/react";
import { listUsers } from "~/models/admin.server";
import { ROLES } from "~/schemas/admin";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Pengguna · Giliran" }];
export const links = () => [{ rel: "stylesheet", href: "/css/admin.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin:read");
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const roleParam = url.searchParams.get("peran") ?? "";
  const role = (ROLES as readonly string[]).includes(roleParam) ? roleParam : "";
  const users = await listUsers(db(), { q: q || undefined, role: role || undefined });
  return {
    q,
    role,
    users: users.map((u) => ({ id: u.id, name: u.name, email: u.email, phone: u.phone, role: u.role, ikm: u.ikm_name, active: u.active === 1 })),
    canWrite: can(user, "admin:write"),
  };
}

export default function AdminUsers() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <AdminListHead title={t("admin.users.title")} addLabel={t("admin.users.add")} addTo="/admin/pengguna/baru" canWrite={d.canWrite} />
      <Form method="get" className="admin-search" role="search">
        <label className="field">
          <span>{t("admin.users.search")}</span>
          <input type="search" name="q" defaultValue={d.q} maxLength={100} />
        </label>
        <label className="field">
          <span>{t("admin.user.role")}</span>
          <select name="peran" defaultValue={d.role}>
            <option value="">{t("admin.all")}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          {t("admin.search")}
        </button>
      </Form>
      <section className="card">
        <h2>{t("admin.users.count", { n: d.users.length })}</h2>
        {d.users.length ? (
          <ul className="admin-list">
            {d.users.map((u) => (
              <li key={u.id} className={`admin-item${u.active ? "" : " admin-inactive"}`}>
                <Link to={`/admin/pengguna/${u.id}`} className="admin-item-main">
                  <strong>{u.name}</strong>
                  <span className="muted small admin-item-sub">{[u.email, u.phone].filter(Boolean).join(" · ")}</span>
                </Link>
                <div className="admin-item-meta">
                  <span className={`admin-pill admin-role-${u.role}`}>{t(`role.${u.role}`)}</span>
                  {u.ikm ? <span className="small muted">{u.ikm}</span> : null}
                  {u.active ? null : <span className="admin-pill admin-pill-retired">{t("admin.inactive")}</span>}
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("admin.users.none")}</p>
        )}
      </section>
    </>
  );
}
