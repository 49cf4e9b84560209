/** My bookings as cards: machine, day and time, status in words, fee, and the actions that apply. */
import { Link } from "@remix-run/react";
import { formatDateLong, formatRupiah, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { StatusBadge } from "./StatusBadge";

export interface BookingCardItem {
  id: number;
  start: number;
  end: number;
  status: string;
  machineCode: string;
  machineName: string;
  purpose: string;
  seriesId: number | null;
  fee: number | null;
  lateCancel: boolean;
}

export function BookingCards({ items, now, actions }: { items: BookingCardItem[]; now: number; actions: boolean }) {
  const { t, lang, timeZone } = useI18n();
  return (
    <ul className="booking-cards">
      {items.map((b) => {
        const changeable = actions && (b.status === "pending" || b.status === "confirmed") && b.start > now;
        const late = changeable && b.start - now < 24 * 60 * 60 * 1000;
        return (
          <li key={b.id} className="booking-card">
            <div className="booking-card-head">
              <Link to={`/pemesanan/${b.id}`} className="booking-card-title">
                <strong>{b.machineCode}</strong> {b.machineName}
              </Link>
              <StatusBadge status={b.status} />
            </div>
            <p className="booking-card-when">
              {formatDateLong(b.start, lang, timeZone)}
              <br />
              <strong>{formatTimeRange(b.start, b.end, lang, timeZone)}</strong>
            </p>
            {b.purpose ? <p className="muted small">{b.purpose}</p> : null}
            <p className="small">
              {b.seriesId ? (
                <Link to={`/pemesanan/seri/${b.seriesId}`} className="tag">
                  {t("ikm.my.series")}
                </Link>
              ) : null}
              {b.fee !== null ? <span className="fee">{t("ikm.my.fee", { fee: formatRupiah(b.fee) })}</span> : null}
              {b.lateCancel ? <span className="tag tag-warn">{t("ikm.my.lateCancelled")}</span> : null}
            </p>
            {late ? <p className="small warn-text">{t("ikm.my.lateWarn")}</p> : null}
            {changeable ? (
              <div className="row booking-card-actions">
                <Link className="button small" to={`/pemesanan/${b.id}#pindah`}>
                  {t("ikm.my.move")}
                </Link>
                <Link className="button small danger" to={`/pemesanan/${b.id}?batal=1#batal`}>
                  {t("ikm.my.cancel")}
                </Link>
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
