import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BoardHours, BoardLegend, BoardTrack } from "~/components/BoardTrack";
import { UnitContactButtons } from "~/components/UnitContactButtons";
import { formatDayMonth, formatHours, formatRupiah } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { formatDuration } from "~/i18n/violations";
import { listMachines } from "~/models/machine.server";
import { effectiveRules, loadFacility, tariffAt } from "~/models/scheduling.server";
import { Id } from "~/schemas/common";
import { FormDate } from "~/schemas/ikm-booking";
import { translate } from "~/i18n";
import { loadMachineWeek } from "~/services/booking/board.server";
import { loadUnitContact } from "~/services/contact.server";
import { requireUser } from "~/utils/auth.server";
import { now } from "~/utils/clock.server";
import { db } from "~/utils/db.server";
import { isStaff } from "~/utils/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.machine.code ?? ""} ${data?.machine.name ?? ""} · Giliran` }];
export const links = () => [{ rel: "stylesheet", href: "/css/ikm.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = Id.safeParse(params.id);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const machine = (await listMachines(db(), { includeRetired: true })).find((m) => m.id === id.data);
  if (!machine) throw new Response("Not found", { status: 404 });
  const date = FormDate("ikm.form.error.date").safeParse(new URL(request.url).searchParams.get("date"));
  const t = now();
  const facility = await loadFacility(db());
  const rules = effectiveRules(machine, facility, await tariffAt(db(), machine.id, t, facility));
  const week = await loadMachineWeek(db(), user, t, machine, date.success ? date.data : undefined);
  // A machine the reader's IKM may not run yet: how to get certified, by WhatsApp or a call.
  const certificate = week.track?.needsQualification
    ? { contact: await loadUnitContact(db(), translate(user.language, "ikm.certificate.waText", { machine: `${machine.code} ${machine.name}` })), operatorMode: rules.operatorMode }
    : null;
  return {
    certificate,
    machine: {
      id: machine.id,
      code: machine.code,
      name: machine.name,
      typeName: machine.type_name,
      description: machine.description,
      location: machine.location,
      status: machine.status,
      narrowHours: machine.hours_json !== null,
    },
    rules,
    week,
    staff: isStaff(user),
  };
}

export default function MachinePage() {
  const { machine, rules, week, staff, certificate } = useLoaderData<typeof loader>();
  const { t, lang, timeZone } = useI18n();
  const d = (m: number) => formatDuration(m, lang);
  return (
    <>
      <p className="muted small">
        <Link to="/jadwal">← {t("ikm.board.title")}</Link>
      </p>
      <h1>
        {machine.code} · {machine.name}
      </h1>
      <p className="muted">
        {machine.typeName}
        {machine.location ? ` · ${machine.location}` : ""}
      </p>
      {machine.status !== "active" ? (
        <p className="alert alert-warn" role="status">
          {t(`ikm.machine.status.${machine.status}`)}
        </p>
      ) : null}
      {week.track?.fault ? (
        <p className="alert alert-error" role="status">
          {t("ikm.board.fault", { since: formatDayMonth(week.track.fault.since, lang, timeZone), reason: week.track.fault.reason })}
        </p>
      ) : null}
      {certificate ? (
        <section className="alert alert-warn certificate-note" aria-labelledby="certificate-title">
          <h2 id="certificate-title">{t("ikm.board.needsQualification")}</h2>
          <p>{t("ikm.board.needsQualificationLong")}</p>
          <p>{certificate.contact ? t("ikm.certificate.how", { phone: certificate.contact.display }) : t("ikm.certificate.howNoPhone")}</p>
          {certificate.operatorMode === "both" ? <p>{t("ikm.certificate.assisted")}</p> : certificate.operatorMode === "assisted" ? <p>{t("ikm.certificate.alwaysAssisted")}</p> : null}
          {certificate.contact ? <UnitContactButtons contact={certificate.contact} /> : null}
        </section>
      ) : null}
      {machine.description ? <p>{machine.description}</p> : null}
      {machine.status === "active" ? (
        <p>
          <Link className="button primary block" to={`/pesan?machineId=${machine.id}`}>
            {t("ikm.machine.book")}
          </Link>
        </p>
      ) : null}

      <section className="card" aria-labelledby="week-title">
        <div className="board-nav">
          <Link className="button small" to={`?date=${week.prev}`} aria-label={t("ikm.board.prevWeek")}>
            ‹
          </Link>
          <h2 id="week-title" className="board-date">
            {t("ikm.board.weekOf", { date: formatDayMonth(Date.parse(`${week.monday}T12:00:00Z`), lang, "UTC") })}
          </h2>
          <Link className="button small" to={`?date=${week.next}`} aria-label={t("ikm.board.nextWeek")}>
            ›
          </Link>
        </div>
        <p className="muted small">{t("ikm.machine.weekHint")}</p>
        <section className="board" aria-label={t("ikm.board.weekLabel")}>
          <div className="board-grid">
            <div className="board-head">
              <div className="board-name">{t("ikm.machine.day")}</div>
              <div className="board-cells">
                <BoardHours from={week.trackHours.from} to={week.trackHours.to} />
              </div>
            </div>
            {week.track?.days.map((day) => (
              <div key={day.date} className={`board-row${day.date === week.today ? " is-today" : ""}`}>
                <div className="board-name">
                  <Link to={`/jadwal?date=${day.date}`}>
                    <strong>{formatDayMonth(Date.parse(`${day.date}T12:00:00Z`), lang, "UTC")}</strong>
                    <small>{day.closure ? day.closure : day.past ? t("ikm.board.past") : day.freeMinutes > 0 ? t("ikm.board.freeHours", { h: formatHours(day.freeMinutes / 60, lang) }) : t("ikm.board.full")}</small>
                  </Link>
                </div>
                <div className="board-cells">
                  <BoardTrack track={day} bookingHref={(id) => `/pemesanan/${id}`} />
                </div>
              </div>
            ))}
          </div>
        </section>
        <BoardLegend staff={staff} tracks={week.track?.days ?? []} />
      </section>
      <section className="card" aria-labelledby="rules-title">
        <h2 id="rules-title">{t("ikm.machine.rules")}</h2>
        <ul className="rules">
          <li>{t("ikm.machine.tariff", { rate: formatRupiah(rules.hourlyRate), increment: d(rules.billingIncrementMinutes) })}</li>
          <li>{t("ikm.machine.duration", { min: d(rules.minMinutes), max: d(rules.maxMinutes) })}</li>
          <li>{t("ikm.machine.slot", { slot: d(rules.slotMinutes) })}</li>
          {rules.bufferMinutes > 0 ? <li>{t("ikm.machine.buffer", { buffer: d(rules.bufferMinutes) })}</li> : null}
          <li>{t("ikm.machine.notice", { notice: d(rules.noticeMinutes), days: rules.horizonDays })}</li>
          <li>{t("ikm.machine.quota", { quota: d(rules.weeklyQuotaMinutes), max: rules.maxActiveBookings })}</li>
          <li>{t(rules.requiresApproval ? "ikm.machine.approval" : "ikm.machine.noApproval")}</li>
          {rules.requiresQualification ? <li>{t("ikm.machine.qualification")}</li> : null}
          <li>{t(`ikm.machine.operator.${rules.operatorMode}`)}</li>
          {machine.narrowHours ? <li>{t("ikm.machine.narrowHours")}</li> : null}
        </ul>
      </section>

    </>
  );
}
