import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/react";
import { missingClosureYears } from "~/services/admin/closure-years.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:read");
  return { missingClosureYears: await missingClosureYears(db(), now()) };
}

const ADMIN_SECTIONS = [
  ["/admin/mesin", "admin.nav.machines"],
  ["/admin/fasilitas", "admin.nav.facility"],
  ["/admin/libur", "admin.nav.closures"],
  ["/admin/ikm", "admin.nav.ikms"],
  ["/admin/pengguna", "admin.nav.users"],
  ["/admin/kualifikasi", "admin.nav.qualifications"],
  ["/admin/audit", "admin.nav.audit"],
] as const;

export default function AdminHome() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("home.admin.title")}</h1>
      <p className="muted">{t("home.admin.intro")}</p>
      {d.missingClosureYears.map((year) => (
        <div key={year} className="alert alert-warn" role="status">
          <p>{t("home.admin.closuresMissing", { year })}</p>
          <Link className="button" to={`/admin/libur?tahun=${year}`}>
            {t("home.admin.closuresMissingAction", { year })}
          </Link>
        </div>
      ))}
      <ul className="tile-list">
        {ADMIN_SECTIONS.map(([to, key]) => (
          <li key={to}>
            <Link className="tile" to={to}>
              {t(key)}
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
