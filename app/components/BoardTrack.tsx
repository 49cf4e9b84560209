/**
 * One machine's day as a horizontal timeline: segments positioned by time within the track
 * (07.00–17.00 by default). Free time is a link per hour to the prefilled booking form; every
 * segment says what it is in words (aria-label and, when there is room, visible text), so colour
 * is never the only signal.
 */
import { Link } from "@remix-run/react";
import { formatTime, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import type { SegmentKind, TrackDay } from "~/views/board";

const SHORT: Partial<Record<SegmentKind, string>> = {
  booked: "ikm.seg.short.booked",
  own: "ikm.seg.short.own",
  maintenance: "ikm.seg.short.maintenance",
  breakdown: "ikm.seg.short.breakdown",
  round: "ikm.seg.short.round",
};

export function BoardTrack({ track, compact = false, bookingHref }: { track: TrackDay; compact?: boolean; bookingHref?: (id: number) => string }) {
  const { t, lang, timeZone } = useI18n();
  const span = track.end - track.start;
  return (
    <div className={`track${compact ? " track-compact" : ""}`}>
      {track.segments.map((s) => {
        const style = { left: `${((s.start - track.start) / span) * 100}%`, width: `${((s.end - s.start) / span) * 100}%` };
        const range = formatTimeRange(s.start, s.end, lang, timeZone);
        const who = s.kind === "booked" && s.ikmName ? `${s.ikmName}, ` : "";
        const label = `${who}${t(`ikm.seg.${s.kind}`, { range })}${s.status && s.kind !== "free" ? ` (${t(`status.${s.status}`)})` : ""}`;
        const cls = `seg seg-${s.kind}${s.status === "pending" ? " seg-pending" : ""}`;
        const roomy = s.end - s.start >= 45 * 60_000;
        const text = compact || !roomy ? "" : s.kind === "free" ? formatTime(s.start, lang, timeZone) : s.kind === "booked" && s.ikmName ? s.ikmName : SHORT[s.kind] ? t(SHORT[s.kind] as string) : "";
        if ((s.kind === "free" || s.kind === "round") && s.href && !compact) {
          return (
            <Link key={`${s.kind}-${s.start}`} to={s.href} className={cls} style={style} aria-label={label} title={label}>
              <span>{text}</span>
            </Link>
          );
        }
        if (s.bookingId && bookingHref && !compact) {
          return (
            <Link key={`${s.kind}-${s.start}`} to={bookingHref(s.bookingId)} className={cls} style={style} aria-label={label} title={label}>
              <span>{text}</span>
            </Link>
          );
        }
        if (compact || s.kind === "closed" || s.kind === "unavailable") {
          return (
            <span key={`${s.kind}-${s.start}`} className={cls} style={style} title={label} aria-hidden="true">
              {text ? <span>{text}</span> : null}
            </span>
          );
        }
        return (
          <span key={`${s.kind}-${s.start}`} className={cls} style={style} title={label} role="img" aria-label={label}>
            {text ? <span>{text}</span> : null}
          </span>
        );
      })}
    </div>
  );
}

/** The hour labels above day tracks. */
export function BoardHours({ from, to }: { from: number; to: number }) {
  const { lang } = useI18n();
  const hours = Array.from({ length: to - from }, (_, i) => from + i);
  return (
    <div className="track-hours" aria-hidden="true">
      {hours.map((h) => (
        <span key={h} style={{ left: `${((h - from) / (to - from)) * 100}%`, width: `${100 / (to - from)}%` }}>
          {lang === "id" ? `${String(h).padStart(2, "0")}.00` : `${String(h).padStart(2, "0")}:00`}
        </span>
      ))}
    </div>
  );
}

/** The meaning of each colour and pattern, in words: the ones always there, and the others when shown. */
export function BoardLegend({ staff, tracks }: { staff: boolean; tracks: TrackDay[] }) {
  const { t } = useI18n();
  const present = new Set(tracks.flatMap((tr) => tr.segments.map((s) => s.kind)));
  const always: SegmentKind[] = staff ? ["free", "booked", "closed"] : ["free", "own", "booked", "closed"];
  const order: SegmentKind[] = ["free", "own", "booked", "round", "maintenance", "breakdown", "closed", "unavailable"];
  const kinds = order.filter((k) => always.includes(k) || present.has(k));
  return (
    <ul className="legend">
      {kinds.map((k) => (
        <li key={k}>
          <span className={`legend-swatch seg-${k}`} aria-hidden="true" />
          {t(`ikm.legend.${k}`)}
        </li>
      ))}
    </ul>
  );
}
