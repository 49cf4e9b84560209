import { Form, Link } from "@remix-run/react";
import { formatRupiah, formatTime, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { FloorContact } from "./FloorContact";
import { FloorEarlyCheckIn } from "./FloorEarlyCheckIn";
import { type FloorStateName, FloorStateBadge } from "./FloorStateBadge";

export interface FloorCardItem {
  id: number;
  start: number;
  end: number;
  state: FloorStateName;
  lateMinutes: number;
  graceEnd: number;
  ikmName: string;
  phone: string | null;
  tel: string | null;
  wa: string | null;
  purpose: string;
  assisted: boolean;
  source: string;
  operatorName: string | null;
  actualStart: number | null;
  actualEnd: number | null;
  fee: number | null;
  condition: string | null;
  overdueCheckout: boolean;
  canCheckIn: boolean;
  canCheckOut: boolean;
  canNoShow: boolean;
  soon: boolean;
}

/** One booking on the today board: time, state, IKM and contact, job, and the one-tap action. */
export function FloorBookingCard({ item, busy, error, earlyMinutes }: { item: FloorCardItem; busy: boolean; error?: string; earlyMinutes?: number }) {
  const { t, lang, timeZone } = useI18n();
  const time = (ms: number) => formatTime(ms, lang, timeZone);
  const detail = `/teknisi/pemesanan/${item.id}`;
  return (
    <li className={`floor-item floor-item-${item.state}`} id={`b-${item.id}`}>
      <div className="floor-item-top">
        <span className="floor-time">{formatTimeRange(item.start, item.end, lang, timeZone)}</span>
        <FloorStateBadge state={item.state} lateMinutes={item.lateMinutes} />
      </div>
      <p className="floor-ikm">
        <Link to={detail}>{item.ikmName}</Link>
      </p>
      <p className="floor-job">
        {item.purpose || t("floor.noPurpose")}
        <span className="floor-tags">
          <span className="floor-tag">{item.assisted ? t("floor.assisted") : t("floor.selfOperated")}</span>
          {item.source === "walk_in" || item.source === "backfill" ? <span className="floor-tag floor-tag-source">{t(`floor.source.${item.source}`)}</span> : null}
        </span>
      </p>
      {item.state === "inUse" && item.actualStart !== null ? (
        <p className="floor-usage">
          {t("floor.card.inUseSince", { time: time(item.actualStart), operator: item.operatorName ?? "" })}
          {item.overdueCheckout ? <strong className="floor-warn"> {t("floor.card.overdue")}</strong> : null}
        </p>
      ) : null}
      {item.state === "done" && item.actualStart !== null && item.actualEnd !== null ? (
        <p className="floor-usage">
          {t("floor.card.done", { start: time(item.actualStart), end: time(item.actualEnd), fee: item.fee === null ? "–" : formatRupiah(item.fee) })}
          {item.condition === "fault" ? <strong className="floor-warn"> {t("floor.card.fault")}</strong> : null}
        </p>
      ) : null}
      {item.state === "late" ? <p className="floor-usage">{t("floor.card.graceUntil", { time: time(item.graceEnd) })}</p> : null}
      {error ? (
        <p className="alert alert-error" role="alert">
          {t(error)}
        </p>
      ) : null}
      {earlyMinutes ? <FloorEarlyCheckIn minutes={earlyMinutes} start={item.start} fields={{ intent: "checkin", bookingId: String(item.id) }} cancelTo="/teknisi" busy={busy} /> : null}
      <div className="floor-actions">
        {item.canCheckIn && !earlyMinutes ? (
          <Form method="post" className="floor-action-form">
            <input type="hidden" name="intent" value="checkin" />
            <input type="hidden" name="bookingId" value={item.id} />
            <button type="submit" className={item.soon ? "button primary floor-big" : "button floor-mid"} disabled={busy}>
              <span aria-hidden="true">▶</span> {t("floor.action.checkIn")}
            </button>
          </Form>
        ) : null}
        {item.canCheckOut ? (
          <Link to={`${detail}#selesai`} className="button primary floor-big">
            <span aria-hidden="true">■</span> {t("floor.action.checkOut")}
          </Link>
        ) : null}
        {item.state === "pending" ? (
          <Link to="/teknisi/persetujuan" className="button floor-mid">
            {t("floor.action.toApprovals")}
          </Link>
        ) : null}
      </div>
      <FloorContact tel={item.tel} wa={item.wa} phone={item.phone}>
        {item.canNoShow ? (
          <Link to={`${detail}#tidak-hadir`} className="button danger">
            {t("floor.action.noShowOpen")}
          </Link>
        ) : null}
      </FloorContact>
    </li>
  );
}
