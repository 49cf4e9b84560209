import { formatDateShort, formatTimeRange } from "~/i18n/format";
import { useI18n } from "~/i18n/react";
import { StatusBadge } from "./StatusBadge";
import type { FloorAffectedItem } from "~/views/floor";

/**
 * The bookings a maintenance window or breakdown touches, each with the engine's best
 * alternative; with `choose`, a choice per booking (move to it, cancel, or — for a breakdown
 * whose end is unknown — keep for now, chosen by default for bookings from `keepAfter` on).
 */
export function FloorAffected({ items, choose, allowKeep, keepAfter }: { items: FloorAffectedItem[]; choose: boolean; allowKeep: boolean; keepAfter?: number }) {
  const { t, lang, timeZone } = useI18n();
  const when = (s: number, e: number) => `${formatDateShort(s, lang, timeZone)} ${formatTimeRange(s, e, lang, timeZone)}`;
  return (
    <ol className="floor-affected">
      {items.map((a) => {
        const keep = allowKeep && keepAfter !== undefined && a.start >= keepAfter;
        return (
          <li key={a.bookingId}>
            <p className="floor-affected-head">
              <strong>{a.ikmName}</strong> <StatusBadge status={a.status} />
            </p>
            <p>
              {a.machineCode} · {when(a.start, a.end)}
            </p>
            {!a.movable ? (
              <p className="muted">{t("floor.affected.inUse")}</p>
            ) : choose ? (
              <fieldset className="floor-choices">
                <legend>{t("floor.affected.choose")}</legend>
                {a.proposal ? (
                  <label className="floor-choice">
                    <input type="radio" name={`choice-${a.bookingId}`} value={`move|${a.proposal.machineId}|${a.proposal.start}|${a.proposal.end}`} defaultChecked={!keep} />
                    <span>{t("floor.affected.moveTo", { to: `${a.proposal.machineCode} · ${when(a.proposal.start, a.proposal.end)}` })}</span>
                  </label>
                ) : (
                  <p className="muted small">{t("floor.affected.noAlternative")}</p>
                )}
                <label className="floor-choice">
                  <input type="radio" name={`choice-${a.bookingId}`} value="cancel" defaultChecked={!a.proposal && !keep} />
                  <span>{t("floor.affected.cancel")}</span>
                </label>
                {allowKeep ? (
                  <label className="floor-choice">
                    <input type="radio" name={`choice-${a.bookingId}`} value="keep" defaultChecked={keep} />
                    <span>{t("floor.affected.keep")}</span>
                  </label>
                ) : null}
              </fieldset>
            ) : (
              <p className="floor-proposal">
                {a.proposal ? t("floor.affected.proposalMove", { to: `${a.proposal.machineCode} · ${when(a.proposal.start, a.proposal.end)}` }) : t("floor.affected.proposalCancel")}
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
