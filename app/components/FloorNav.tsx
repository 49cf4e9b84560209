import { NavLink } from "@remix-run/react";
import { useT } from "~/i18n/react";

/** The technician console's own tabs: today, approvals, maintenance, logbook. Big targets. */
export function FloorNav() {
  const t = useT();
  const items = [
    { to: "/teknisi", label: t("floor.nav.today"), end: true },
    { to: "/teknisi/persetujuan", label: t("floor.nav.approvals"), end: false },
    { to: "/teknisi/perawatan", label: t("floor.nav.maintenance"), end: false },
    { to: "/teknisi/catat", label: t("floor.nav.record"), end: false },
  ];
  return (
    <nav className="floor-nav no-print" aria-label={t("floor.nav.label")}>
      {items.map((i) => (
        <NavLink key={i.to} to={i.to} end={i.end} prefetch="intent">
          {i.label}
        </NavLink>
      ))}
    </nav>
  );
}
