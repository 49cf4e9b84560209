import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useT } from "~/i18n/react";
import { requirePermission } from "~/utils/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:read");
  return null;
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
  return (
    <>
      <h1>{t("home.admin.title")}</h1>
      <p className="muted">{t("home.admin.intro")}</p>
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
