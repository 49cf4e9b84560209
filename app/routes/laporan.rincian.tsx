/**
 * /laporan/rincian?from=…&to=…&machineId=…|typeId=…|ikmId=… — the bookings behind one row of the
 * report: each with its status, its booked and used hours inside the period and the fee counted
 * in it, and their sums (which are the row's figures).
 */
import { type LoaderFunctionArgs, type MetaFunction, data } from "@remix-run/node";
import { TableScroll } from "~/components/TableScroll";
import { Link, useLoaderData } from "@remix-run/react";
import { StatusBadge } from "~/components/StatusBadge";
import { translate } from "~/i18n";
import { formatDateShort, formatRupiah, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { detailSums } from "~/reports/csv";
import { DASH, fmtDateKey, fmtHours, fmtRate } from "~/reports/format";
import { fieldErrors } from "~/schemas/parse";
import { ReportDetailQuery } from "~/schemas/reports";
import { buildDetail } from "~/services/reports/drill-down.server";
import { requirePermission } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";

export const links = () => [{ rel: "stylesheet", href: "/css/reports.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Rincian"} · Giliran` }];

const PAGE_SIZE = 100;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "reports:view");
  const title = translate(user.language, "reports.detail.title");
  const parsed = ReportDetailQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return data({ ok: false as const, title, errors: fieldErrors(parsed.error) }, { status: 400 });
  const q = parsed.data;
  const detail = await buildDetail(db(), q, now());
  const pages = Math.max(1, Math.ceil(detail.lines.length / PAGE_SIZE));
  const page = Math.min(q.page, pages);
  const target = q.machineId !== undefined ? { machineId: q.machineId } : q.typeId !== undefined ? { typeId: q.typeId } : { ikmId: q.ikmId as number };
  return {
    ok: true as const,
    title,
    from: q.from,
    to: q.to,
    target,
    groupBy: detail.groupBy,
    label: detail.label,
    timeZone: detail.timeZone,
    row: detail.row,
    sums: detailSums(detail.lines),
    count: detail.lines.length,
    page,
    pages,
    lines: detail.lines.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((l) => ({
      ...l,
      machine: detail.machineNames.get(l.machineId) ?? `#${l.machineId}`,
      ikm: detail.ikmNames.get(l.ikmId) ?? `#${l.ikmId}`,
    })),
  };
}

export default function ReportDetail() {
  const { t, lang, timeZone } = useI18n();
  const d = useLoaderData<typeof loader>();
  if (!d.ok) {
    return (
      <section className="card">
        <h1>{t("reports.detail.title")}</h1>
        <div className="alert alert-error" role="alert">
          <ul>
            {Object.entries(d.errors).map(([field, key]) => (
              <li key={field}>
                {`${t(`reports.field.${field}`)}: ${t(key)}`}
              </li>
            ))}
          </ul>
        </div>
        <p>
          <Link to="/laporan">{t("reports.detail.back")}</Link>
        </p>
      </section>
    );
  }
  const base = new URLSearchParams({ from: d.from, to: d.to, ...Object.fromEntries(Object.entries(d.target).map(([k, v]) => [k, String(v)])) });
  const pageHref = (p: number) => `/laporan/rincian?${new URLSearchParams({ ...Object.fromEntries(base), page: String(p) })}`;
  const back = `/laporan?${new URLSearchParams({ from: d.from, to: d.to, groupBy: d.groupBy })}`;
  const csvHref = `/laporan/csv?${new URLSearchParams({ ...Object.fromEntries(base), table: "detail" })}`;
  const period = t("reports.period", { from: fmtDateKey(d.from, lang), to: fmtDateKey(d.to, lang) });
  const showMachine = d.groupBy !== "machine";
  const showIkm = d.groupBy !== "ikm";
  const r = d.row;
  return (
    <div className="report">
      <p className="no-print">
        <Link to={back}>← {t("reports.detail.back")}</Link>
      </p>
      <header className="report-head">
        <div>
          <h1>{t("reports.detail.title")}</h1>
          <p className="report-period">
            <strong>{d.label}</strong> · {period}
          </p>
          <p className="small muted">{t("reports.detail.intro")}</p>
        </div>
      </header>

      <section className="card" aria-labelledby="row-title">
        <h2 id="row-title">{t("reports.detail.rowTitle")}</h2>
        {r ? (
          <dl className="figures detail-figures" data-testid="detail-row">
            <Figure label={t("reports.col.available")} value={r.availableHours === null ? DASH : fmtHours(r.availableHours, lang)} />
            <Figure label={t("reports.col.booked")} value={fmtHours(r.bookedHours, lang)} />
            <Figure label={t("reports.col.used")} value={fmtHours(r.usedHours, lang)} />
            <Figure label={t("reports.col.actualUtilization")} value={fmtRate(r.actualUtilization, lang)} />
            <Figure label={t("reports.col.noShowRate")} value={fmtRate(r.noShowRate, lang)} />
            <Figure label={t("reports.col.lateCancellationRate")} value={fmtRate(r.lateCancellationRate, lang)} />
            <Figure label={t("reports.col.unmet")} value={fmtHours(r.unmetDemandHours, lang)} />
            <Figure label={t("reports.col.fees")} value={formatRupiah(r.fees)} />
          </dl>
        ) : (
          <p className="muted">{t("reports.detail.notFound")}</p>
        )}
      </section>

      <section className="card" aria-labelledby="list-title">
        <div className="section-head">
          <h2 id="list-title">{t("reports.detail.listTitle", { n: d.count })}</h2>
          <a className="button small no-print" href={csvHref} download>
            {t("reports.csv")}
          </a>
        </div>
        {d.count === 0 ? (
          <p className="muted">{t("reports.empty")}</p>
        ) : (
          <TableScroll>
            <table className="report-table detail-table" data-testid="detail-table">
              <thead>
                <tr>
                  <th scope="col">{t("reports.detail.col.booking")}</th>
                  <th scope="col">{t("reports.detail.col.time")}</th>
                  {showMachine ? <th scope="col">{t("reports.detail.col.machine")}</th> : null}
                  {showIkm ? <th scope="col">{t("reports.detail.col.ikm")}</th> : null}
                  <th scope="col">{t("reports.detail.col.status")}</th>
                  <th scope="col" className="num">
                    {t("reports.detail.col.booked")}
                  </th>
                  <th scope="col" className="num">
                    {t("reports.detail.col.used")}
                  </th>
                  <th scope="col" className="num">
                    {t("reports.detail.col.fee")}
                  </th>
                  <th scope="col">{t("reports.detail.col.note")}</th>
                </tr>
              </thead>
              <tbody>
                {d.lines.map((l) => (
                  <tr key={l.id}>
                    <td>{l.id}</td>
                    <td>
                      {formatDateShort(l.start, lang, timeZone)}
                      <br />
                      <span className="small">{formatTimeRange(l.start, l.end, lang, timeZone)}</span>
                    </td>
                    {showMachine ? <td>{l.machine}</td> : null}
                    {showIkm ? <td>{l.ikm}</td> : null}
                    <td>
                      <StatusBadge status={l.status} />
                    </td>
                    <td className="num">{fmtHours(l.bookedHours, lang)}</td>
                    <td className="num">{fmtHours(l.usedHours, lang)}</td>
                    <td className="num">{l.fee === null ? DASH : formatRupiah(l.fee)}</td>
                    <td className="small">
                      {[
                        !l.startsInPeriod ? t("reports.detail.note.startsBefore") : null,
                        l.ahead ? t("reports.detail.note.ahead") : null,
                        l.lateCancellation ? t("reports.detail.note.late") : null,
                        l.fee === null && l.usedHours > 0 ? t("reports.detail.note.feeElsewhere") : null,
                      ]
                        .filter(Boolean)
                        .join("; ")}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="total-row" data-testid="detail-sum">
                  <th scope="row" colSpan={3 + (showMachine ? 1 : 0) + (showIkm ? 1 : 0)}>
                    {t("reports.detail.sum")}
                  </th>
                  <td className="num" data-col="booked">
                    {fmtHours(d.sums.bookedHours, lang)}
                  </td>
                  <td className="num" data-col="used">
                    {fmtHours(d.sums.usedHours, lang)}
                  </td>
                  <td className="num" data-col="fees">
                    {formatRupiah(d.sums.fees)}
                  </td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </TableScroll>
        )}
        <p className="small muted">{t("reports.detail.sumNote")}</p>
        {d.pages > 1 ? (
          <nav className="row no-print pager" aria-label={t("reports.detail.page", { page: d.page, pages: d.pages })}>
            {d.page > 1 ? (
              <Link className="button small" to={pageHref(d.page - 1)}>
                {t("reports.detail.prev")}
              </Link>
            ) : null}
            <span>{t("reports.detail.page", { page: d.page, pages: d.pages })}</span>
            {d.page < d.pages ? (
              <Link className="button small" to={pageHref(d.page + 1)}>
                {t("reports.detail.next")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
