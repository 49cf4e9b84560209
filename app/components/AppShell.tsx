import { Form, NavLink } from "@remix-run/react";
import { useI18n } from "~/i18n/react";
import { type Role, can, homePath } from "~/utils/permissions";

interface ShellUser {
  id: number;
  name: string;
  role: Role;
  ikmId: number | null;
}

interface NavItem {
  to: string;
  label: string;
}

function navFor(user: ShellUser, t: (k: string) => string): NavItem[] {
  const items: NavItem[] = [{ to: homePath(user.role), label: t("nav.home") }];
  if (can(user, "booking:own")) items.push({ to: "/pemesanan", label: t("nav.myBookings") });
  items.push({ to: "/jadwal", label: t("nav.board") });
  if (can(user, "waitlist:view")) items.push({ to: "/daftar-tunggu", label: t("waitlist.title") });
  if (can(user, "rounds:view")) items.push({ to: "/putaran", label: t("round.nav") });
  if (can(user, "floor:operate") && homePath(user.role) !== "/teknisi") items.push({ to: "/teknisi", label: t("nav.today") });
  if (can(user, "booking:approve")) items.push({ to: "/teknisi/persetujuan", label: t("nav.approvals") });
  if (can(user, "reports:view")) items.push({ to: "/laporan", label: t("nav.reports") });
  if (can(user, "admin:read") && homePath(user.role) !== "/admin") items.push({ to: "/admin", label: t("nav.admin") });
  return items;
}

export function AppShell({
  user,
  facilityName,
  unread,
  children,
}: {
  user: ShellUser | null;
  facilityName: string;
  unread: number;
  children: React.ReactNode;
}) {
  const { t, lang } = useI18n();
  return (
    <>
      <a className="skip" href="#main">
        {t("nav.skip")}
      </a>
      <header className="topbar">
        <div className="topbar-row">
          <a className="brand" href={user ? homePath(user.role) : "/"}>
            <span className="brand-mark" aria-hidden="true">
              G
            </span>
            <span>
              <strong>{t("app.name")}</strong>
              <small>{facilityName}</small>
            </span>
          </a>
          <div className="topbar-actions">
            {user ? (
              <NavLink to="/notifikasi" className="bell" aria-label={`${t("nav.notifications")} (${unread})`}>
                <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
                  <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
                  <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
                </svg>
                {unread > 0 ? <span className="badge">{unread > 99 ? "99+" : unread}</span> : null}
              </NavLink>
            ) : null}
            <Form method="post" action="/bahasa" className="inline-form">
              <input type="hidden" name="lang" value={lang === "id" ? "en" : "id"} />
              {/* The name starts with what is seen (WCAG 2.5.3), then says what it does. */}
              <button type="submit" className="link-button" aria-label={t("nav.languageTo", lang === "id" ? { code: "EN", name: "English" } : { code: "ID", name: "Bahasa Indonesia" })}>
                {lang === "id" ? "EN" : "ID"}
              </button>
            </Form>
            {user ? (
              <Form method="post" action="/logout" className="inline-form">
                <button type="submit" className="link-button">
                  {t("nav.logout")}
                </button>
              </Form>
            ) : null}
          </div>
        </div>
        {user ? (
          <nav aria-label={t("nav.menu")} className="mainnav">
            {navFor(user, t).map((item) => (
              <NavLink key={item.to} to={item.to} end={item.to === "/teknisi" || item.to === homePath(user.role)}>
                {item.label}
              </NavLink>
            ))}
          </nav>
        ) : null}
      </header>
      <main id="main" className="page">
        {children}
      </main>
    </>
  );
}
