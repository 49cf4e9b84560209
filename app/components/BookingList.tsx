import { formatDayMonth, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { StatusBadge } from "./StatusBadge";

export interface BookingListItem {
  id: number;
  start: number;
  end: number;
  status: string;
  machine: string;
  ikm?: string;
  href?: string;
}

export function BookingList({ items }: { items: BookingListItem[] }) {
  const { lang, timeZone } = useI18n();
  return (
    <ul className="booking-list">
      {items.map((b) => (
        <li key={b.id}>
          <div>
            <strong>{b.machine}</strong>
            {b.ikm ? <div className="muted">{b.ikm}</div> : null}
            <div>
              {formatDayMonth(b.start, lang, timeZone)}, {formatTimeRange(b.start, b.end, lang, timeZone)}
            </div>
          </div>
          <StatusBadge status={b.status} />
        </li>
      ))}
    </ul>
  );
}
