/**
 * Weekly opening hours: per weekday up to three open periods (the gaps between them are the
 * breaks) or "closed". Plain inputs named hours.<day>.<i>.start/end, so it works without JS.
 */
import { useT } from "~/i18n/react";
import { type Errors, ErrorText } from "./AdminForm";

type Period = { start: string; end: string };
export type HoursValue = Record<string, Period[]>;

const DAYS = ["1", "2", "3", "4", "5", "6", "7"] as const;

export function AdminHoursEditor({
  value,
  posted,
  errors,
  disabled,
  legend,
}: {
  value: HoursValue | null;
  /** The raw values of a form post that failed, to show them again. */
  posted?: Record<string, unknown>;
  errors?: Errors;
  disabled?: boolean;
  legend: string;
}) {
  const t = useT();
  const get = (day: string, i: number, part: "start" | "end") => {
    if (posted) {
      const v = posted[`hours.${day}.${i}.${part}`];
      return typeof v === "string" ? v : "";
    }
    return value?.[day]?.[i]?.[part] ?? "";
  };
  const closed = (day: string) => (posted ? posted[`hours.${day}.closed`] === "on" : !!value && (value[day]?.length ?? 0) === 0);
  return (
    <fieldset className="admin-hours" disabled={disabled}>
      <legend>{legend}</legend>
      <p className="muted small">{t("admin.hours.help")}</p>
      {DAYS.map((day) => {
        const error = errors?.[`hours.${day}`];
        const errorId = `hours-${day}-error`;
        return (
          <fieldset key={day} className={`admin-hours-day${error ? " has-error" : ""}`} aria-describedby={error ? errorId : undefined}>
            <legend className="admin-hours-legend">{t(`admin.weekday.${day}`)}</legend>
            <label className="checkbox admin-hours-closed">
              <input type="checkbox" name={`hours.${day}.closed`} defaultChecked={closed(day)} />
              <span>{t("admin.hours.closed")}</span>
            </label>
            <div className="admin-hours-periods">
              {[0, 1, 2].map((i) => (
                <div key={i} className="admin-hours-period">
                  <label>
                    <span className="visually-hidden">{t("admin.hours.periodStart", { day: t(`admin.weekday.${day}`), n: i + 1 })}</span>
                    <input type="time" step={300} name={`hours.${day}.${i}.start`} defaultValue={get(day, i, "start")} aria-invalid={error ? true : undefined} />
                  </label>
                  <span aria-hidden="true">–</span>
                  <label>
                    <span className="visually-hidden">{t("admin.hours.periodEnd", { day: t(`admin.weekday.${day}`), n: i + 1 })}</span>
                    <input type="time" step={300} name={`hours.${day}.${i}.end`} defaultValue={get(day, i, "end")} aria-invalid={error ? true : undefined} />
                  </label>
                </div>
              ))}
            </div>
            <ErrorText id={errorId} error={error} />
          </fieldset>
        );
      })}
      <ErrorText id="hours-error" error={errors?.hours} />
    </fieldset>
  );
}

/** "07.30–12.00, 13.00–16.00" or "Tutup" for one weekday (read-only summaries). */
export function hoursSummary(periods: Period[] | undefined, closedLabel: string): string {
  if (!periods?.length) return closedLabel;
  return periods.map((p) => `${p.start.replace(":", ".")}–${p.end.replace(":", ".")}`).join(", ");
}
