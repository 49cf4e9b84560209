import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatHours, formatRupiah } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { fmtRate, presetSpan } from "~/reports/format";
import { monthToDateService } from "~/services/reports/drill-down.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "reports:view");
  // The report's "Bulan ini" (/laporan): this month, what happened up to now; the same numbers.
  return monthToDateService(db(), now());
}

export default function ManagerHome() {
  const { t, lang } = useI18n();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("home.manager.title")}</h1>
      <section className="card">
        <h2>{t("home.manager.thisMonth", { span: presetSpan(d, d.today, lang, t) })}</h2>
        <dl className="figures">
          <div>
            <dt>{t("home.manager.ikmsServed")}</dt>
            <dd>{d.ikmsServed}</dd>
          </div>
          <div>
            <dt>{t("home.manager.bookings")}</dt>
            <dd>{d.bookingsServed}</dd>
          </div>
          <div>
            <dt>{t("home.manager.hoursServed")}</dt>
            <dd>{formatHours(d.hoursServed, lang)}</dd>
          </div>
          <div>
            <dt>{t("home.manager.fees")}</dt>
            <dd>{formatRupiah(d.fees)}</dd>
          </div>
          <div>
            <dt>{t("home.manager.actualUtilization")}</dt>
            <dd data-testid="home-actual-utilization">{fmtRate(d.actualUtilization, lang)}</dd>
          </div>
          <div>
            <dt>{t("home.manager.unmet")}</dt>
            <dd>{formatHours(d.unmetDemandHours, lang)}</dd>
          </div>
        </dl>
        <p className="small muted">{t("home.manager.def")}</p>
        <p>
          <Link className="button" to={`/laporan?from=${d.from}&to=${d.to}`}>
            {t("home.manager.openReports")}
          </Link>
        </p>
      </section>
    </>
  );
}
